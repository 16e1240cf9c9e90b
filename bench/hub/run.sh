#!/bin/sh
# Hub benchmarks (issue 13): intake (reports/s, batch acknowledgement latency, nothing lost or doubled),
# publication (approval -> signed generation; a 400,000-entry snapshot), fan-out (unchanged polls/s; 1,000 polling
# agents picking up a change). The hub runs in its own JVM (-Dhubbench.hub=in-process in BENCH_JAVA_OPTS: in this
# one) against a durable throwaway PostgreSQL cluster from Debian's binaries (as the postgres user when run as root);
# -Dhubbench.parts=intake,publication,fanout picks parts. Figures go to bench/README.md ("Hub").
#
#   bench/hub/run.sh [INTAKE_SECONDS (60; the target says 300)] [REPORTS_PER_SECOND (2000)] [AGENTS (1000)]
set -eu
cd "$(dirname "$0")/../.."
if [ -z "${BENCH_NO_BUILD:-}" ]; then
    # in one reactor build, so the hub's class path names this checkout's protocol and yaml-config classes
    ./mvnw -q -B -pl hub -am test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
        -Dmdep.includeScope=test >/dev/null
fi
classpath="hub/target/test-classes:hub/target/classes:$(cat hub/target/classpath.txt)"
exec java ${BENCH_JAVA_OPTS:-} -Xmx1g -Dtollguard.pg.durable=true -Dhubbench.hubJavaOptions="${HUB_JAVA_OPTS:--Xmx1g}" \
    -cp "$classpath" org.tollguard.hub.bench.HubBench "$@"
