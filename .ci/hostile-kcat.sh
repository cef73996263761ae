#!/usr/bin/env bash
# Starts target/logit-router.jar on its embedded broker and sends a batch of hostile records
# mixed with valid ones through kcat. Every record must land exactly once, on its route topic or
# on the dead-letter topic with the expected reason. /health/ready must return 200 throughout,
# and SIGTERM must stop the service with exit code 0. Any mismatch fails the script.
#
# Environment: HOSTILE_KAFKA_PORT (default 19192) and HOSTILE_HTTP_PORT (default 18180).
set -euo pipefail
cd "$(dirname "$0")/.."

KAFKA_PORT=${HOSTILE_KAFKA_PORT:-19192}
HTTP_PORT=${HOSTILE_HTTP_PORT:-18180}
BROKER=127.0.0.1:$KAFKA_PORT
HTTP=http://127.0.0.1:$HTTP_PORT
WORK=$(mktemp -d)
SERVICE_PID=
WATCH_PID=

fail() {
    echo "hostile-kcat: FAILED: $*" >&2
    if [ -f "$WORK/service.log" ]; then
        echo "--- last lines of the service log:" >&2
        tail -n 40 "$WORK/service.log" >&2
    fi
    exit 1
}

cleanup() {
    if [ -n "$WATCH_PID" ] && kill -0 "$WATCH_PID" 2>/dev/null; then
        kill "$WATCH_PID" 2>/dev/null || true
    fi
    if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
        kill -TERM "$SERVICE_PID" 2>/dev/null || true
        wait "$SERVICE_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

for tool in java kcat curl python3; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done
[ -f target/logit-router.jar ] || fail "target/logit-router.jar is missing; build it with: mvn -B package -DskipTests"

echo "hostile-kcat: starting the service (Kafka on $BROKER, HTTP on $HTTP)"
SCORING_EMBEDDED_PORT=$KAFKA_PORT SCORING_HTTP_PORT=$HTTP_PORT SCORING_HTTP_HOST=127.0.0.1 \
    java -jar target/logit-router.jar > "$WORK/service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 120); do
    curl -fsS "$HTTP/health/ready" >/dev/null 2>&1 && break
    kill -0 "$SERVICE_PID" 2>/dev/null || fail "the service exited before it became ready"
    sleep 1
done
curl -fsS "$HTTP/health/ready" >/dev/null 2>&1 || fail "the service did not become ready within 120 s"

# Record /health/ready every 200 ms until the checks are done.
(
    while [ ! -f "$WORK/stop-watch" ]; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$HTTP/health/ready" || true)
        echo "$(date +%T.%N) $code" >> "$WORK/health.txt"
        sleep 0.2
    done
) &
WATCH_PID=$!

mkdir -p "$WORK/values" "$WORK/keys"
COUNT=0

# next_record KEY EXPECTED: reserves files for one record; EXPECTED is spam, alert, pass,
# dead-letter:REASON or dead-letter:REASON:truncated. The value goes to "$VALUE".
next_record() {
    COUNT=$((COUNT + 1))
    VALUE=$WORK/values/$COUNT
    printf '%s' "$1" > "$WORK/keys/$COUNT"
    printf '%s\t%s\n' "$COUNT" "$2" >> "$WORK/manifest.tsv"
}

# send KEY EXPECTED PRINTF_FORMAT [KCAT_OPTION...]: sends the bytes of the printf format.
send() {
    local key=$1 expected=$2 format=$3
    shift 3
    next_record "$key" "$expected"
    # shellcheck disable=SC2059 # the format carries the escapes that make the value hostile
    printf "$format" > "$VALUE"
    kcat -P -b "$BROKER" -t scoring.input -k "$key" "$@" "$VALUE" || fail "kcat could not send record $key"
}

# send_generated KEY EXPECTED PYTHON_EXPRESSION [KCAT_OPTION...]: sends the bytes that a
# Python expression builds, for values too large to write out.
send_generated() {
    local key=$1 expected=$2 expression=$3
    shift 3
    next_record "$key" "$expected"
    python3 -c "import sys; sys.stdout.buffer.write($expression)" > "$VALUE"
    kcat -P -b "$BROKER" -t scoring.input -k "$key" -X message.max.bytes=2000000 "$@" "$VALUE" \
        || fail "kcat could not send record $key"
}

# send_empty KEY [-Z]: an empty value, or a null value (tombstone) with -Z. kcat skips empty
# files, so the record is written as "KEY:" with ':' as the key delimiter.
send_empty() {
    local key=$1
    shift
    next_record "$key" "dead-letter:empty-value"
    : > "$VALUE"
    [ "${1:-}" = "-Z" ] && echo tombstone > "$VALUE.null"
    printf '%s:\n' "$key" | kcat -P -b "$BROKER" -t scoring.input -K: "$@" || fail "kcat could not send record $key"
}

VALID_ROUTES=(spam pass alert)
VALID_EVENTS=(
    '{"id":"%s","model":"email-spam","logits":{"spam":3}}'
    '{"id":"%s","model":"email-spam","logits":{"spam":-3}}'
    '{"id":"%s","model":"tumor-screening","logits":{"malignant":2}}'
)
VALID=0

# valid: sends one valid record after each hostile one, cycling through the three routes.
valid() {
    local index=$((VALID % 3)) key
    VALID=$((VALID + 1))
    key=$(printf 'valid-%03d' "$VALID")
    next_record "$key" "${VALID_ROUTES[$index]}"
    # shellcheck disable=SC2059
    printf "${VALID_EVENTS[$index]}" "$key" > "$VALUE"
    kcat -P -b "$BROKER" -t scoring.input -k "$key" "$VALUE" || fail "kcat could not send record $key"
}

E='"model":"email-spam","logits":{"spam":3}'
MB=1048576

echo "hostile-kcat: sending records"
# Control characters: raw ones are invalid JSON, escaped ones and DEL are valid.
send ctrl-raw-in-string dead-letter:invalid-json '{"id":"c",'"$E"',"note":"a\x01b"}'; valid
send ctrl-escaped spam '{"id":"c",'"$E"',"note":"a\\u0001b\\u001f"}'; valid
send ctrl-raw-in-name dead-letter:invalid-json '{"id":"c",'"$E"',"a\x07b":1}'; valid
send ctrl-raw-tab dead-letter:invalid-json '{"id":"c\tx",'"$E"'}'; valid
send ctrl-del-char spam '{"id":"c\x7f",'"$E"'}'; valid
send nul-in-string dead-letter:invalid-json '{"id":"c",'"$E"',"note":"\x00"}'; valid
send nul-leading dead-letter:invalid-json '\x00{"id":"c",'"$E"'}'; valid

# Keys and headers.
send "huge-key-$(head -c 100000 /dev/zero | tr '\0' k)" spam '{"id":"k",'"$E"'}'; valid
send binary-headers-valid spam '{"id":"b",'"$E"'}' -H "bin=$(printf '\x01\x02\xff\xfe')" -H "empty="; valid
send binary-headers-bad dead-letter:invalid-json '{"id":"b",' -H "bin=$(printf '\x01\xff')"; valid
send forged-error-headers dead-letter:invalid-json '{"id":' -H "scoring.error.reason=forged" \
    -H "__streams.errors.topic=forged"; valid
send "" pass '{"id":"empty-key","model":"email-spam","logits":{"spam":-3}}'; valid

# Empty values.
send_empty empty-value; valid
send_empty tombstone -Z; valid
send whitespace-only dead-letter:invalid-json '   \n\t  '; valid

# Unicode: a lone surrogate is invalid JSON both as an escape and as raw bytes; a pair is valid.
send lone-surrogate-id dead-letter:invalid-json '{"id":"\\ud800",'"$E"'}'; valid
send lone-surrogate-label dead-letter:invalid-json '{"id":"s","model":"email-spam","logits":{"\\udc00":1,"spam":3}}'; valid
send lone-surrogate-model dead-letter:invalid-json '{"id":"s","model":"\\ud800","logits":{"spam":3}}'; valid
send escaped-backslash-then-u spam '{"id":"C:\\\\ud800",'"$E"'}'; valid
send surrogate-pair spam '{"id":"\\ud83d\\ude00",'"$E"'}'; valid
send raw-surrogate-bytes dead-letter:invalid-json '{"id":"\xed\xa0\x80",'"$E"'}'; valid
send overlong-utf8 dead-letter:invalid-json '{"id":"\xc0\xaf",'"$E"'}'; valid
send byte-order-mark dead-letter:invalid-json '\xef\xbb\xbf{"id":"b",'"$E"'}'; valid
send_generated utf16 dead-letter:invalid-json '"{\"id\":\"u\",\"model\":\"email-spam\",\"logits\":{\"spam\":3}}".encode("utf-16-le")'; valid
send emoji-id spam '{"id":"\xf0\x9f\x98\x80",'"$E"'}'; valid

# Long strings and sizes. The service's limit is 1 MiB and so is the producer's: the output of
# an input just under the limit is too large, and so is its dead letter, which keeps a prefix.
send_generated long-string spam 'b"{\"id\":\"l\",\"model\":\"email-spam\",\"logits\":{\"spam\":3},\"note\":\"" + b"x" * 500000 + b"\"}"'; valid
send_generated long-id spam 'b"{\"id\":\"" + b"i" * 200000 + b"\",\"model\":\"email-spam\",\"logits\":{\"spam\":3}}"'; valid
send_generated near-limit dead-letter:output-too-large:truncated 'b"{\"id\":\"n\",\"model\":\"email-spam\",\"logits\":{\"spam\":3},\"note\":\"" + b"x" * ('"$MB"' - 200 - 64) + b"\"}"'; valid

# Nesting: the limit is 64 levels, the event object included.
send_generated nested-63 spam 'b"{\"id\":\"d\",\"model\":\"email-spam\",\"logits\":{\"spam\":3},\"extra\":" + b"[" * 63 + b"]" * 63 + b"}"'; valid
send_generated nested-64 dead-letter:too-large 'b"{\"id\":\"d\",\"model\":\"email-spam\",\"logits\":{\"spam\":3},\"extra\":" + b"[" * 64 + b"]" * 64 + b"}"'; valid
send_generated nested-100000 dead-letter:too-large 'b"{\"id\":\"d\",\"model\":\"email-spam\",\"logits\":{\"spam\":3},\"extra\":" + b"[" * 100000 + b"]" * 100000 + b"}"'; valid
send_generated nested-objects dead-letter:too-large 'b"{\"a\":" * 100000 + b"1" + b"}" * 100000'; valid
send nested-in-logits dead-letter:non-numeric-value '{"id":"d","model":"email-spam","logits":{"spam":[[[1]]]}}'; valid

# Numbers.
send number-minus-zero pass '{"id":"n","model":"email-spam","logits":{"spam":-0}}'; valid
send number-underflow pass '{"id":"n","model":"email-spam","logits":{"spam":1e-400}}'; valid
send number-exponent spam '{"id":"n","model":"email-spam","logits":{"spam":0.1e1}}'; valid
send number-20-digits spam '{"id":"n","model":"email-spam","logits":{"spam":1.0000000000000000001}}'; valid
send number-huge-integer spam '{"id":"n","model":"email-spam","logits":{"spam":123456789012345678901234567890}}'; valid
send number-huge-negative pass '{"id":"n","model":"email-spam","logits":{"spam":-123456789012345678901234567890}}'; valid
send number-carried spam '{"id":"n",'"$E"',"n":[-0,1e-400,0.1e1,12345678901234567890123,-0.0e-0]}'; valid
send number-overflow dead-letter:non-finite-value '{"id":"n","model":"email-spam","logits":{"spam":1e400}}'; valid
send number-overflow-negative dead-letter:non-finite-value '{"id":"n","model":"email-spam","logits":{"spam":-1e309}}'; valid
send_generated number-1201-digits dead-letter:too-large 'b"{\"id\":\"n\",\"model\":\"email-spam\",\"logits\":{\"spam\":1" + b"0" * 1200 + b"}}"'; valid
send number-leading-zero dead-letter:invalid-json '{"id":"n","model":"email-spam","logits":{"spam":01}}'; valid
send number-plus dead-letter:invalid-json '{"id":"n","model":"email-spam","logits":{"spam":+1}}'; valid
send number-bare-fraction dead-letter:invalid-json '{"id":"n","model":"email-spam","logits":{"spam":.5}}'; valid
send number-hex dead-letter:invalid-json '{"id":"n","model":"email-spam","logits":{"spam":0x10}}'; valid
send number-nan dead-letter:invalid-json '{"id":"n","model":"email-spam","logits":{"spam":NaN}}'; valid
send number-infinity dead-letter:invalid-json '{"id":"n","model":"email-spam","logits":{"spam":-Infinity}}'; valid
send number-as-string dead-letter:non-numeric-value '{"id":"n","model":"email-spam","logits":{"spam":"3.0"}}'; valid
send non-finite-score dead-letter:non-finite-score '{"id":"n","model":"email-spam","features":{"word_freq_our":1e308,"word_freq_remove":1e308}}'; valid

# Structure.
send duplicate-key dead-letter:invalid-json '{"id":"s",'"$E"',"meta":{"k":1,"k":2}}'; valid
send trailing-object dead-letter:invalid-json '{"id":"s",'"$E"'}\n{}'; valid
send two-events dead-letter:invalid-json '{"id":"s",'"$E"'}{"id":"t",'"$E"'}'; valid
send pretty-printed spam '{\n\t"id": "p",\n\t"model": "email-spam",\n\t"logits": {\n\t\t"spam": 3\n\t}\n}'; valid
send surrounding-whitespace spam '  \n\t{"id":"w",'"$E"'} \r\n '; valid
send json-in-string dead-letter:not-an-object '"{\\"id\\":\\"s\\"}"'; valid
send array-of-events dead-letter:not-an-object '[{"id":"s",'"$E"'}]'; valid
send_generated many-unknown-features pass 'b"{\"id\":\"f\",\"model\":\"email-spam\",\"features\":{" + b",".join(b"\"f%d\":1" % i for i in range(10000)) + b"}}"'; valid
send_generated many-unknown-labels spam 'b"{\"id\":\"f\",\"model\":\"email-spam\",\"logits\":{\"spam\":3," + b",".join(b"\"l%d\":1" % i for i in range(10000)) + b"}}"'; valid
send missing-label dead-letter:missing-label '{"id":"m","model":"tumor-screening","logits":{}}'; valid
send both-scores dead-letter:ambiguous-scores '{"id":"m","model":"email-spam","logits":{"spam":1},"features":{}}'; valid
send reserved-field dead-letter:reserved-field '{"id":"m",'"$E"',"scoring":null}'; valid
send id-boolean dead-letter:invalid-id '{"id":true,'"$E"'}'; valid
send model-omitted dead-letter:unknown-model '{"id":"m","logits":{"spam":3}}'; valid

TOTAL=$COUNT
echo "hostile-kcat: sent $TOTAL records; waiting until each is routed or dead-lettered"
handled=0
for _ in $(seq 1 180); do
    handled=$(curl -fsS "$HTTP/metrics" \
        | awk '/^scoring_(events|dead_letter)_total\{/ { sum += $2 } END { printf "%d", sum }')
    [ "$handled" -ge "$TOTAL" ] && break
    sleep 1
done
[ "$handled" -ge "$TOTAL" ] || fail "only $handled of $TOTAL records were handled within 180 s"

for topic in spam alert pass dead-letter; do
    kcat -C -b "$BROKER" -t "scoring.$topic" -o beginning -e -q -J -X isolation.level=read_committed \
        > "$WORK/out-$topic.jsonl" || fail "kcat could not read scoring.$topic"
done
curl -fsS "$HTTP/metrics" > "$WORK/metrics.txt" || fail "could not scrape $HTTP/metrics"
touch "$WORK/stop-watch"
wait "$WATCH_PID" || true
WATCH_PID=

python3 - "$WORK" "$TOTAL" <<'PY' || fail "the outputs do not match the records sent"
"""Compares what kcat read from the four output topics with the manifest of records sent."""
import collections
import json
import re
import sys

work, total = sys.argv[1], int(sys.argv[2])
problems = []

expected = {}
with open(f"{work}/manifest.tsv", encoding="ascii") as manifest:
    for line in manifest:
        number, outcome = line.rstrip("\n").split("\t")
        with open(f"{work}/keys/{number}", "rb") as key_file:
            key = key_file.read()
        with open(f"{work}/values/{number}", "rb") as value_file:
            value = value_file.read()
        try:
            open(f"{work}/values/{number}.null").close()
            value = None
        except FileNotFoundError:
            pass
        if key in expected:
            problems.append(f"key {key[:40]!r} is used twice in the manifest")
        expected[key] = (outcome, value)

outputs = collections.defaultdict(list)
for topic in ("spam", "alert", "pass", "dead-letter"):
    with open(f"{work}/out-{topic}.jsonl", "rb") as lines:
        for raw in lines:
            record = json.loads(raw.decode("utf-8", "surrogateescape"))
            key = b"" if record.get("key") is None else record["key"].encode("utf-8", "surrogateescape")
            payload = record.get("payload")
            payload = None if payload is None else payload.encode("utf-8", "surrogateescape")
            headers = record.get("headers") or []
            pairs = list(zip(headers[0::2], headers[1::2]))
            outputs[key].append((topic, payload, pairs))


def last_header(pairs, name):
    values = [value for key, value in pairs if key == name]
    return values[-1] if values else None


def describe(key):
    text = key.decode("utf-8", "replace")
    return text if len(text) <= 40 else f"{text[:40]}... ({len(key)} bytes)"


received = sum(len(records) for records in outputs.values())
if received != total:
    problems.append(f"{total} records were sent but {received} arrived on the output topics")
for key in outputs:
    if key not in expected:
        problems.append(f"unexpected output with key {describe(key)}")

for key, (outcome, value) in expected.items():
    records = outputs.get(key, [])
    if len(records) != 1:
        problems.append(f"{describe(key)}: expected once on {outcome}, arrived {len(records)} times "
                        f"{[topic for topic, _, _ in records]}")
        continue
    topic, payload, pairs = records[0]
    parts = outcome.split(":")
    if parts[0] != topic:
        problems.append(f"{describe(key)}: expected {outcome}, arrived on {topic} with reason "
                        f"{last_header(pairs, 'scoring.error.reason')}: {last_header(pairs, 'scoring.error.message')}")
        continue
    if topic == "dead-letter":
        reason = last_header(pairs, "scoring.error.reason")
        if reason != parts[1]:
            problems.append(f"{describe(key)}: reason {reason}, expected {parts[1]}: "
                            f"{last_header(pairs, 'scoring.error.message')}")
        truncated = last_header(pairs, "scoring.error.value.truncated")
        if len(parts) > 2:
            if truncated != str(len(value)) or payload is None or not value.startswith(payload):
                problems.append(f"{describe(key)}: expected a prefix of the value and the truncated header, "
                                f"got {None if payload is None else len(payload)} bytes, header {truncated}")
        elif payload != value:
            problems.append(f"{describe(key)}: the dead letter does not keep the value byte for byte")
        elif truncated is not None:
            problems.append(f"{describe(key)}: unexpected truncated header {truncated}")
        for name in ("__streams.errors.exception", "__streams.errors.topic", "__streams.errors.offset",
                     "scoring.error.message"):
            if last_header(pairs, name) is None:
                problems.append(f"{describe(key)}: header {name} is missing")
    else:
        stripped = value.rstrip(b" \t\r\n")
        prefix = stripped[:-1]
        if not stripped.endswith(b"}") or not payload.startswith(prefix + b',"scoring":{'):
            problems.append(f"{describe(key)}: the output does not start with the input bytes")
        if f'"route":"{topic}"'.encode() not in payload[len(prefix):]:
            problems.append(f"{describe(key)}: the scoring field does not name route {topic}")
        try:
            json.loads(payload.decode("utf-8"))
        except ValueError as error:
            problems.append(f"{describe(key)}: the output is not valid JSON: {error}")

with open(f"{work}/health.txt", encoding="ascii") as health:
    samples = [line.split() for line in health if line.strip()]
not_ready = [sample for sample in samples if sample[-1] != "200"]
if not samples:
    problems.append("/health/ready was never checked")
if not_ready:
    problems.append(f"/health/ready was not 200 in {len(not_ready)} of {len(samples)} checks, first {not_ready[0]}")

with open(f"{work}/metrics.txt", encoding="utf-8") as metrics:
    counted = sum(float(line.split()[-1]) for line in metrics
                  if re.match(r"scoring_(events|dead_letter)_total\{", line))
if counted != total:
    problems.append(f"the metrics count {counted:.0f} routed and dead-lettered records, expected {total}")

for problem in problems:
    print("  " + problem, file=sys.stderr)
reasons = collections.Counter(outcome.split(":")[1] if ":" in outcome else outcome for outcome, _ in expected.values())
print(f"hostile-kcat: checked {total} records ({dict(sorted(reasons.items()))}) and {len(samples)} health checks")
sys.exit(1 if problems else 0)
PY

echo "hostile-kcat: stopping the service with SIGTERM"
kill -TERM "$SERVICE_PID"
set +e
wait "$SERVICE_PID"
status=$?
set -e
SERVICE_PID=
[ "$status" -eq 0 ] || fail "the service exited with $status after SIGTERM, expected 0"
echo "hostile-kcat: passed"
