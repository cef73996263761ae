#!/usr/bin/env bash
# Builds the jar and the test classpath, then measures logit-router against the pass-through
# limit on a real broker. Usage: bench/pipeline.sh EVENTS_FILE[.gz] [ROUNDS] [PASSES] [LATENCY_RATE]
# BENCH_JVM_ARGS adds JVM options to every measured application, for example a flight recording:
# BENCH_JVM_ARGS='-XX:StartFlightRecording=filename=/tmp/{id}.jfr' bench/pipeline.sh ...
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "Usage: bench/pipeline.sh EVENTS_FILE[.gz] [ROUNDS] [PASSES] [LATENCY_RATE]" >&2; exit 2; }

mvn -q -B package -DskipTests
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
java ${BENCH_JVM_ARGS:+"-Dbench.jvm.args=$BENCH_JVM_ARGS"} -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    io.logitrouter.bench.PipelineBenchmark "$@"
