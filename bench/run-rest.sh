#!/usr/bin/env bash
# Benchmark 5: wrk against GET /api/v1/replicasets and GET /api/v1/replicasets/{name}, on loopback.
#   bench/run-rest.sh [-Dsets=100] [-Dcopies=5] [-Dthreads=2] [-Dconnections=16] [-Dseconds=15] [-Druns=3]
# Bounded to 15 minutes. Needs wrk (Debian package wrk: installed if missing).
source "$(dirname "$0")/lib.sh"
need_jars
need_command wrk wrk
run_bench 900 io.shepherd.bench.RestBench "$@"
