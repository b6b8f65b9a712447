#!/usr/bin/env bash
# Benchmark 4: one controller JVM with 1,000 replica sets x 10 copies over 50 REGISTER_ONLY agents: heap after GC,
# idle CPU, a full resync, and the loss of an agent with 2,000 copies.
#   bench/run-controller-scale.sh [-Dsets=1000] [-Dagents=50] [-Dbig=2000] [-DidleSeconds=30] [-Dresyncs=5]
# Bounded to 20 minutes.
source "$(dirname "$0")/lib.sh"
need_jars
run_bench 1200 io.shepherd.bench.ControllerScaleBench "$@"
