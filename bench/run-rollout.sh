#!/usr/bin/env bash
# Benchmark 9: a rollout of 50 python3 http.server copies (readiness probe every 200 ms, maxSurge 25%,
# maxUnavailable 0) from one template to another; total time against the floor, and the controller's CPU.
#   bench/run-rollout.sh [-Dcopies=50] [-DprobeMs=200] [-Drounds=3]
# Bounded to 20 minutes.
source "$(dirname "$0")/lib.sh"
need_jars
run_bench 1200 io.shepherd.bench.RolloutBench "$@"
