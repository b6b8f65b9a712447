#!/usr/bin/env bash
# The floor under benchmark 1 on this machine: one ZooKeeper read, write and registration-like multi, and one process
# start, each timed alone (a standalone ZooKeeper JVM, one client, pauses between operations as between kills).
#   bench/run-round-trip.sh [-Dn=200] [-DpauseMs=50]
# Bounded to 10 minutes.
source "$(dirname "$0")/lib.sh"
need_jars
run_bench 600 io.shepherd.bench.RoundTripBench "$@"
