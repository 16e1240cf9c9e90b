#!/usr/bin/env bash
# Spend IDS benchmarks: the hijack scenario against a finished-calls-only IDS, the live-cost tick over 1,000
# calls, and the store queries behind baselines. Figures go into bench/README.md ("Spend IDS").
#   bench/ids/run.sh [--runs 100] [--ticks 10000]
# Runs bench/ids/IdsBench.java on the agent's own classes (agent/target/tollguard.jar, built when missing or older
# than the sources) with the launcher's JVM flags. BENCH_JAVA_OPTS adds JVM options, e.g.
# BENCH_JAVA_OPTS="-Xlog:gc -Dbench.only=tick" (only: hijack, tick or baseline).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$root"
jar=agent/target/tollguard.jar
if [ ! -f "$jar" ] || [ -n "$(find agent/src/main -newer "$jar" -print -quit)" ]; then
    ./mvnw -q -B package -DskipTests -pl agent
fi
exec java -Xmx256m -XX:+UseSerialGC ${BENCH_JAVA_OPTS:-} -Dlogback.configurationFile=bench/ids/logback-bench.xml \
    -cp "$jar" bench/ids/IdsBench.java "$@"
