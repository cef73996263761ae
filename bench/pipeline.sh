#!/usr/bin/env bash
# Builds the jar and the test classpath, then measures logit-router against the pass-through
# limit on a real broker. Usage: bench/pipeline.sh EVENTS_FILE[.gz] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "Usage: bench/pipeline.sh EVENTS_FILE[.gz] [ROUNDS]" >&2; exit 2; }

mvn -q -B package -DskipTests
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    io.logitrouter.bench.PipelineBenchmark "$@"
