#!/usr/bin/env bash
# Benchmark 11b: a configuration value set over REST (PUT /api/v1/config/...) -> a copy's long poll of its agent's
# local API answering with it, on the README's default server.
#   bench/run-config-wake.sh [-Drounds=200]
# Bounded to 10 minutes.
source "$(dirname "$0")/lib.sh"
need_jars
run_bench 600 io.shepherd.bench.ConfigWakeRestBench "$@"
