#!/usr/bin/env bash
# Starts target/logit-router.jar on its embedded broker, sends the evaluation events with kcat,
# reads the four output topics with kcat, and checks every route and probability against the
# reference results and the /metrics counters.
set -euo pipefail
cd "$(dirname "$0")/.."

KAFKA_PORT=${KCAT_CHECK_KAFKA_PORT:-19092}
HTTP_PORT=${KCAT_CHECK_HTTP_PORT:-18080}
BROKER=127.0.0.1:$KAFKA_PORT
DATA=src/test/resources/data
WORK=$(mktemp -d)
SERVICE_PID=

cleanup() {
    if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
        kill -TERM "$SERVICE_PID"
        wait "$SERVICE_PID" || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

SCORING_MODELS=$DATA/models SCORING_EMBEDDED_PORT=$KAFKA_PORT SCORING_HTTP_PORT=$HTTP_PORT \
    SCORING_HTTP_HOST=127.0.0.1 java -jar target/logit-router.jar > "$WORK/service.log" 2>&1 &
SERVICE_PID=$!

for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null 2>&1; then
        break
    fi
    if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
        cat "$WORK/service.log" >&2
        echo "the service exited before it became ready" >&2
        exit 1
    fi
    sleep 1
done
curl -fsS "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null || { cat "$WORK/service.log" >&2; exit 1; }

kcat -P -b "$BROKER" -t scoring.input -l "$DATA/eval/feature-events.jsonl"
kcat -P -b "$BROKER" -t scoring.input -l "$DATA/eval/logit-events.jsonl"
total=$(( $(wc -l < "$DATA/eval/feature-events.jsonl") + $(wc -l < "$DATA/eval/logit-events.jsonl") ))

# Wait until the service has routed or dead-lettered every event.
for _ in $(seq 1 120); do
    done_count=$(curl -fsS "http://127.0.0.1:$HTTP_PORT/metrics" \
        | awk '/^scoring_(events|dead_letter)_total\{/ { sum += $2 } END { printf "%d", sum }')
    [ "$done_count" -ge "$total" ] && break
    sleep 1
done

for topic in spam alert pass dead-letter; do
    kcat -C -b "$BROKER" -t "scoring.$topic" -o beginning -e -q -X isolation.level=read_committed \
        -f '%s\n' > "$WORK/$topic.jsonl"
done
curl -fsS "http://127.0.0.1:$HTTP_PORT/metrics" > "$WORK/metrics.txt"

python3 .ci/check_outputs.py "$DATA/eval/expected.jsonl" "$total" "$WORK"
