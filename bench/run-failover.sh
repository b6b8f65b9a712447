#!/usr/bin/env bash
# Benchmark 3: three servers on a standalone ZooKeeper JVM; the leader is stopped (SIGTERM) or killed (SIGKILL);
# time until the new leader has reconciled (claimed its epoch and assigned work that appeared at the stop).
#   bench/run-failover.sh [-Dgraceful=20] [-Dcrash=10] [-Dsets=100] [-DtickMs=2000] [-DsettleMs=1000]
# Bounded to 30 minutes.
source "$(dirname "$0")/lib.sh"
need_jars
run_bench 1800 io.shepherd.bench.FailoverBench "$@"
