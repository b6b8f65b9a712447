#!/usr/bin/env bash
# Benchmark 1: SIGKILL one copy of `sleep` at a time; time until a new process of it runs and is registered:
# restarted in place by its agent, then by the leader (restart.localAttempts 0), then an http copy until it is ready
# again; the same kills against supervisord (its own instance, private config and socket in the work directory).
#   bench/run-kill-replace.sh [-Dkills=200] [-Dcopies=10] [-Dwarmup=10] [-DlocalAttempts=1000] [-DleaderKills=200]
#                             [-DreadyKills=50] [-DreadyCopies=5] [-DreadyPeriodMs=100] [-DsupervisorKills=200]
# Bounded to 20 minutes. Needs python3 and supervisord (Debian package supervisor: installed if missing).
source "$(dirname "$0")/lib.sh"
need_jars
need_command supervisord supervisor
run_bench 1200 io.shepherd.bench.KillReplaceBench -Dbench.png="$RUN_DIR/kill-replace.png" "$@"
