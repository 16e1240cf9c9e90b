#!/bin/sh
# Reseller portal benchmark (issue 15): a reseller with 1,000 customers and 2,000 sites; the portal's pages timed as
# the reseller and as a customer's user (p50/p95/p99); then 2,000 agents heartbeating (and polling their policy)
# every 30 s, nothing lost, no backlog, the pages timed again meanwhile. The hub runs in its own JVM (production
# defaults) against a durable throwaway PostgreSQL cluster from Debian's binaries (as the postgres user when run as
# root). Figures go to bench/README.md ("Hub portal").
#
#   bench/hub/run-portal.sh [HEARTBEAT_SECONDS (120)] [CUSTOMERS (1000)] [SITES_PER_CUSTOMER (2)]
#   HUB_JAVA_OPTS: the hub JVM's options (default -Xmx1g); BENCH_NO_BUILD=1 skips the build
set -eu
cd "$(dirname "$0")/../.."
if [ -z "${BENCH_NO_BUILD:-}" ]; then
    ./mvnw -q -B -pl hub -am test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
        -Dmdep.includeScope=test >/dev/null
fi
classpath="hub/target/test-classes:hub/target/classes:$(cat hub/target/classpath.txt)"
exec java ${BENCH_JAVA_OPTS:-} -Xmx512m -Dtollguard.pg.durable=true -Dhubbench.hubJavaOptions="${HUB_JAVA_OPTS:--Xmx1g}" \
    -cp "$classpath" org.tollguard.hub.bench.PortalBench "$@"
