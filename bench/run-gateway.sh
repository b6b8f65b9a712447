#!/usr/bin/env bash
# Benchmark 10: wrk through the agent's gateway against the same copy directly (keep-alive, and a connection per
# request), on loopback.
#   bench/run-gateway.sh [-Dcopies=1] [-Dthreads=2] [-Dconnections=16] [-Dseconds=10] [-Druns=3]
# Bounded to 10 minutes. Needs wrk (Debian package wrk: installed if missing).
source "$(dirname "$0")/lib.sh"
need_jars
need_command wrk wrk
run_bench 600 io.shepherd.bench.GatewayBench "$@"
