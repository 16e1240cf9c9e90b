#!/bin/sh
# Community list import benchmark: a 400,000-address list imported by the agent into the kernel, side by side
# with a raw `ipset restore` of the same entries; the agent's heap (run with -Xmx256m); a 100-address incremental
# update from response to kernel. Runs as root in a network namespace of its own (tgbl-bench-*), never in the
# host's firewall. Figures go to bench/README.md ("Community list import").
#
#   sudo bench/blacklist/run.sh [ipset|nftables] [RUNS]
set -eu
cd "$(dirname "$0")/../.."
backend=${1:-ipset}
runs=${2:-5}
[ "$(id -u)" = 0 ] || { echo "run as root (network namespaces, ipset)" >&2; exit 1; }

./mvnw -q -B -pl agent test-compile
cp=agent/target/classpath.txt
./mvnw -q -B -pl agent dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test >/dev/null
classpath="agent/target/test-classes:agent/target/classes:$(cat "$cp")"

ns="tgbl-bench-$$"
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT INT TERM
ip -n "$ns" link set lo up

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%d GB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tools: $(ipset version | head -1), $(nft --version), kernel $(uname -r)"
java -Xmx256m -Xms64m -XX:+UseSerialGC -cp "$classpath" \
    -Dlogback.configurationFile=bench/blacklist/logback-bench.xml \
    org.tollguard.blacklist.ImportBenchmark "$ns" "$backend" "$runs"
