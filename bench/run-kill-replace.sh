#!/usr/bin/env bash
# Benchmark 1: SIGKILL one copy of `sleep` at a time; time until its replacement is registered and running.
# The same kills against supervisord (its own instance, private config and socket in the work directory).
#   bench/run-kill-replace.sh [-Dkills=200] [-Dcopies=10] [-Dwarmup=10] [-DsupervisorKills=200]
# Bounded to 20 minutes. Needs supervisord (Debian package supervisor: installed if missing).
source "$(dirname "$0")/lib.sh"
need_jars
need_command supervisord supervisor
run_bench 1200 io.shepherd.bench.KillReplaceBench -Dbench.png="$RUN_DIR/kill-replace.png" "$@"
