#!/usr/bin/env bash
# Benchmark 2: an agent JVM with 1,000 REGISTER_ONLY copies is SIGKILLed; time until all 1,000 are registered on the
# other agents. Each round starts a fresh server, victim and receiving agents.
#   bench/run-agent-loss.sh [-Drounds=3] [-Dcopies=1000] [-Dsets=100] [-Dreceivers=3] [-DsessionTimeoutMs=6000]
# Bounded to 20 minutes.
source "$(dirname "$0")/lib.sh"
need_jars
run_bench 1200 io.shepherd.bench.AgentLossBench -Drounds=3 "$@"
