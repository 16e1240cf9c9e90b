#!/usr/bin/env bash
# FreeSWITCH event throughput: a replaying Event Socket server streams the real 1.10.12 captures to the agent's
# FreeSwitchAdapter with a bounded heap. Figures go into bench/README.md ("FreeSWITCH event throughput").
#   bench/freeswitch/run.sh [RATE [SECONDS [HEAP [MIX]]]]  RATE events/s (default 20000; 0 = unpaced), SECONDS (30),
#                                                          HEAP (-Xmx, default 64m), MIX mixed (default) or scan
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$root"
rate=${1:-20000}
seconds=${2:-30}
heap=${3:-64m}
mix=${4:-mixed}
jar=agent/target/tollguard.jar
if [ ! -f "$jar" ] || [ -n "$(find agent/src/main -newer "$jar" -print -quit)" ]; then
    ./mvnw -q -B package -DskipTests -pl agent
fi
mkdir -p bench/target
exec java -Xms"$heap" -Xmx"$heap" -XX:+UseSerialGC -Xlog:gc:file=bench/target/freeswitch-gc.log -Dlogback.configurationFile=bench/freeswitch/logback-bench.xml \
    -cp "$jar" bench/freeswitch/FreeSwitchThroughput.java "$rate" "$seconds" "$mix"
