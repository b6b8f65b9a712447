#!/usr/bin/env bash
# Benchmark 8: 1,000 copies on one REGISTER_ONLY agent, each with an http readiness probe every second against a real
# listening socket; the agent JVM's CPU as a share of one core.
#   bench/run-probe-cost.sh [-Dcopies=1000] [-Dsets=10] [-DperiodMs=1000 (0: no probes, the baseline)]
#                           [-DportFrom=31000] [-DsettleSeconds=30] [-DwindowSeconds=60]
# Bounded to 15 minutes.
source "$(dirname "$0")/lib.sh"
need_jars
run_bench 900 io.shepherd.bench.ProbeCostBench "$@"
