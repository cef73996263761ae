#!/usr/bin/env bash
# Runs the JMH benchmarks of the per-event hot path. Extra arguments go to JMH, for example
# bench/jmh.sh -f 1 -i 3 for a quick look. Results are also written to target/jmh-result.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -q -B test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    org.openjdk.jmh.Main HotPathBenchmark -rf text -rff target/jmh-result.txt "$@"
