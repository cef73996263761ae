#!/usr/bin/env bash
# Runs a real Prometheus server against the packaged service while the evaluation events flow,
# then checks through Prometheus's HTTP API that the counters and the latency histogram count
# equal what was sent. Also lints the scrape with promtool and checks that every metric name the
# alert rules and the dashboard use is exported. Everything listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

KAFKA_PORT=19592
HTTP_PORT=18592
PROMETHEUS_PORT=19590
DATA=src/test/resources/data
WORK=$(mktemp -d)
SERVICE_PID=
PROMETHEUS_PID=

fail() { printf 'prometheus-check: %s\n' "$*" >&2; exit 1; }

cleanup() {
    for pid in $PROMETHEUS_PID $SERVICE_PID; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            wait "$pid" || true
        fi
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

command -v prometheus >/dev/null || fail "the prometheus server is missing (Debian package prometheus)"
command -v promtool >/dev/null || fail "promtool is missing (Debian package prometheus)"

SCORING_MODELS=$DATA/models SCORING_EMBEDDED_PORT=$KAFKA_PORT SCORING_HTTP_PORT=$HTTP_PORT \
    SCORING_HTTP_HOST=127.0.0.1 java -jar target/logit-router.jar > "$WORK/service.log" 2>&1 &
SERVICE_PID=$!

cat > "$WORK/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $PWD/monitoring/prometheus/rules/logit-router.rules.yml
scrape_configs:
  - job_name: logit-router
    static_configs:
      - targets: ["127.0.0.1:$HTTP_PORT"]
YAML
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" > "$WORK/prometheus.log" 2>&1 &
PROMETHEUS_PID=$!

for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null 2>&1 && break
    kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$WORK/service.log" >&2; fail "the service exited"; }
    sleep 1
done
curl -fsS "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null || { cat "$WORK/service.log" >&2; fail "the service is not ready"; }

kcat -P -b "127.0.0.1:$KAFKA_PORT" -t scoring.input -l "$DATA/eval/feature-events.jsonl"
kcat -P -b "127.0.0.1:$KAFKA_PORT" -t scoring.input -l "$DATA/eval/logit-events.jsonl"
sent=$(( $(wc -l < "$DATA/eval/feature-events.jsonl") + $(wc -l < "$DATA/eval/logit-events.jsonl") ))

# Prints the number an instant query returns, or -1 while Prometheus has no result yet.
query() {
    curl -fsS --get "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/query" --data-urlencode "query=$1" 2>/dev/null \
        | python3 -c 'import json, sys
result = json.load(sys.stdin)["data"]["result"]
print(int(float(result[0]["value"][1])) if result else -1)' 2>/dev/null || echo -1
}

routed=-1
for _ in $(seq 1 90); do
    routed=$(query 'sum(scoring_events_total)')
    [ "$routed" -ge "$sent" ] && break
    sleep 1
done
kill -0 "$PROMETHEUS_PID" 2>/dev/null || { cat "$WORK/prometheus.log" >&2; fail "prometheus exited"; }

check() {
    local name=$1 expression=$2 expected=$3 actual
    actual=$(query "$expression")
    printf '  %-44s %6s (expected %s)\n' "$name" "$actual" "$expected"
    [ "$actual" = "$expected" ] || fail "$name: Prometheus returned $actual for $expression, expected $expected"
}

expected_route() { grep -c "\"route\":\"$1\"" "$DATA/eval/expected.jsonl"; }
echo "Prometheus at 127.0.0.1:$PROMETHEUS_PORT, after $sent events:"
check "events routed" 'sum(scoring_events_total)' "$sent"
check "events routed to spam" 'sum(scoring_events_total{route="spam"})' $(( 2 * $(expected_route spam) ))
check "events routed to alert" 'sum(scoring_events_total{route="alert"})' $(( 2 * $(expected_route alert) ))
check "events routed to pass" 'sum(scoring_events_total{route="pass"})' $(( 2 * $(expected_route pass) ))
check "dead letters" 'sum(scoring_dead_letter_total)' 0
check "end-to-end latency histogram count" 'sum(scoring_end_to_end_seconds_count)' "$sent"
check "processing time histogram count" 'sum(scoring_processing_seconds_count)' "$sent"
check "probability histogram count" 'sum(scoring_probability_percent_count)' "$sent"
check "up" 'up{job="logit-router"}' 1

curl -fsS "http://127.0.0.1:$HTTP_PORT/metrics" > "$WORK/scrape.txt"
echo "promtool check metrics on the scrape ($(grep -vc '^#' "$WORK/scrape.txt") samples)"
promtool check metrics < "$WORK/scrape.txt" || fail "promtool check metrics reported problems"

echo "metric names used by the rules and the dashboard"
[ -d .ci/ops-validate/node_modules ] || npm ci --prefix .ci/ops-validate --no-audit --no-fund --loglevel=error
node .ci/ops-validate/check-metric-names.mjs "$WORK/scrape.txt" \
    monitoring/prometheus/rules/logit-router.rules.yml monitoring/grafana/dashboards/logit-router.json

kill -TERM "$SERVICE_PID"
status=0
wait "$SERVICE_PID" || status=$?
SERVICE_PID=
[ "$status" -eq 0 ] || fail "the service exited with $status after SIGTERM, expected 0"
echo "prometheus-check passed"
