#!/usr/bin/env bash
# Benchmark 7: SIGSTOP one copy of python3 -m http.server at a time (http liveness probe every 200 ms, 2 failures);
# time until its agent has a new process running.
#   bench/run-hang.sh [-Dhangs=30] [-Dcopies=5] [-DperiodMs=200] [-DtimeoutMs=100] [-DfailureThreshold=2]
#                     [-DinitialDelayMs=1000] [-DstopGraceMs=5000] [-DwindowMs=3000]
# Bounded to 10 minutes. Needs python3.
source "$(dirname "$0")/lib.sh"
need_jars
run_bench 600 io.shepherd.bench.HangBench "$@"
