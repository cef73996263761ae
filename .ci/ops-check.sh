#!/usr/bin/env bash
# Checks the deployment and monitoring files with the tools that consume
# them: promtool (rules, rule unit tests, Prometheus config), docker-compose
# (compose file), dockerfile-utils (Dockerfile), yamllint (YAML syntax and
# duplicate keys), kubectl kustomize plus a schema validator (Kubernetes
# manifests) and a dashboard checker (Grafana JSON and its PromQL). Last,
# it feeds broken copies to the two validators and expects them to fail.
#
# Installs what is missing from Debian packages and the npm registry. A tool
# that is still missing afterwards fails the run, and nothing is skipped.
# Needs neither a Docker engine nor a Kubernetes cluster.
set -euo pipefail
cd "$(dirname "$0")/.."

VALIDATOR_DIR=.ci/ops-validate
RULES=monitoring/prometheus/rules/logit-router.rules.yml

log() { printf '\n==> %s\n' "$*"; }
fail() { printf 'ops-check: %s\n' "$*" >&2; exit 1; }

apt_updated=no
apt_install() {
    if [ "$apt_updated" = no ]; then
        apt-get update -qq
        apt_updated=yes
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

need_tools() {
    local missing=()
    command -v promtool >/dev/null || missing+=(prometheus)
    command -v docker-compose >/dev/null || missing+=(docker-compose)
    command -v yamllint >/dev/null || missing+=(yamllint)
    command -v node >/dev/null || missing+=(nodejs)
    command -v npm >/dev/null || missing+=(npm)
    if [ "${#missing[@]}" -gt 0 ]; then
        log "installing ${missing[*]}"
        apt_install "${missing[@]}"
    fi
    for tool in promtool docker-compose yamllint node npm; do
        command -v "$tool" >/dev/null || fail "$tool is missing and could not be installed"
    done

    # kubectl is not in Debian's archive in a version with kustomize v5, so
    # it has to come with the machine image or the CI runner.
    command -v kubectl >/dev/null \
        || fail "kubectl is missing; install a kubectl with kustomize v5 (Kubernetes 1.27 or newer)"
    kubectl version --client 2>/dev/null | grep -q '^Kustomize Version: v5\.' \
        || fail "kubectl's kustomize is older than v5: $(kubectl version --client 2>&1 | tr '\n' ' ')"

    promtool --version 2>&1 | head -n 1 || true
    docker-compose version --short
    yamllint --version
    printf 'node %s, npm %s\n' "$(node --version)" "$(npm --version)"
    kubectl version --client 2>/dev/null | tr '\n' ' '
    echo

    log "installing the validators (npm ci in $VALIDATOR_DIR)"
    npm ci --prefix "$VALIDATOR_DIR" --no-audit --no-fund --loglevel=error
}

need_tools

work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"' EXIT

log "promtool check rules"
promtool check rules "$RULES"

log "promtool test rules"
promtool test rules monitoring/prometheus/tests/*.test.yml

log "promtool check config (compose Prometheus)"
promtool check config monitoring/prometheus/prometheus.yml

log "yamllint"
yamllint -c .ci/yamllint.yml docker-compose.yml monitoring k8s

log "docker-compose config"
docker-compose -f docker-compose.yml config -q
echo "docker-compose.yml is valid"

log "dockerfile-utils lint Dockerfile"
"$VALIDATOR_DIR/node_modules/.bin/dockerfile-utils" lint Dockerfile
echo "Dockerfile has no lint errors"

for kustomization in k8s/base k8s/overlays/production; do
    log "kubectl kustomize $kustomization and schema validation"
    rendered="$work_dir/$(echo "$kustomization" | tr / -).yaml"
    kubectl kustomize "$kustomization" > "$rendered"
    node "$VALIDATOR_DIR/validate-k8s.mjs" --rules "$RULES" "$rendered"
done

log "Grafana dashboard and provisioning"
node "$VALIDATOR_DIR/check-dashboard.mjs" \
    monitoring/grafana/dashboards/logit-router.json \
    monitoring/grafana/provisioning/datasources/prometheus.yml \
    monitoring/grafana/provisioning/dashboards/logit-router.yml

# The validators must still reject broken input, because a package update
# that made them accept everything would otherwise pass unnoticed.
log "validators reject broken copies"
sed -e 's/readinessProbe:/readinesProbe:/' -e 's/minReplicas: 2/minReplicas: two/' \
    "$rendered" > "$work_dir/broken.yaml"
if node "$VALIDATOR_DIR/validate-k8s.mjs" "$work_dir/broken.yaml" > "$work_dir/broken.log" 2>&1; then
    fail "validate-k8s.mjs accepted a manifest with an unknown field and a wrong type"
fi
grep -q '/readinesProbe' "$work_dir/broken.log" \
    || fail "validate-k8s.mjs did not report the unknown field readinesProbe: $(cat "$work_dir/broken.log")"
grep -q '/spec/minReplicas must be integer' "$work_dir/broken.log" \
    || fail "validate-k8s.mjs did not report minReplicas: $(cat "$work_dir/broken.log")"
echo "validate-k8s.mjs rejects an unknown field and a wrong type"

sed 's/sum by (model, route)/sum by (model, route/' monitoring/grafana/dashboards/logit-router.json \
    > "$work_dir/broken-dashboard.json"
if node "$VALIDATOR_DIR/check-dashboard.mjs" "$work_dir/broken-dashboard.json" \
    monitoring/grafana/provisioning/datasources/prometheus.yml \
    monitoring/grafana/provisioning/dashboards/logit-router.yml > "$work_dir/broken-dashboard.log" 2>&1; then
    fail "check-dashboard.mjs accepted a dashboard with invalid PromQL"
fi
echo "check-dashboard.mjs rejects invalid PromQL"

log "ops checks passed"
