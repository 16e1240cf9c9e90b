#!/bin/sh
# The review queue (issue 14): 50,000 pending candidates in a durable throwaway PostgreSQL (Debian's binaries; as
# the postgres user when run as root), whole queue-page requests of a logged-in reviewer timed, p50/p95/p99, for
# the default view and filtered and grouped views. Figures go to bench/README.md ("Hub: the review queue").
#
#   bench/hub/queue.sh [CANDIDATES (50000)] [REQUESTS PER VIEW (100)]
set -eu
cd "$(dirname "$0")/../.."
if [ -z "${BENCH_NO_BUILD:-}" ]; then
    ./mvnw -q -B -pl hub -am test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
        -Dmdep.includeScope=test >/dev/null
fi
classpath="hub/target/test-classes:hub/target/classes:$(cat hub/target/classpath.txt)"
exec java -Xmx1g -Dtollguard.pg.durable=true -cp "$classpath" org.tollguard.hub.bench.QueueBench "$@"
