#!/usr/bin/env bash
# Benchmark 6: the dashboard in headless Chromium with many replica sets (REGISTER_ONLY copies), and a real copy
# SIGKILLed until the page shows its restart, on loopback.
#   bench/run-dashboard.sh [-Dsets=1000] [-Dcopies=10] [-Dbig=2000] [-Dloads=10] [-Dscrolls=20] [-Dchanges=20]
#     [-Dkills=20]
# Bounded to 20 minutes. Needs chromium and chromedriver (Debian packages chromium, chromium-driver: installed if
# missing).
source "$(dirname "$0")/lib.sh"
need_jars
need_command chromium chromium
need_command chromedriver chromium-driver
run_bench 1200 io.shepherd.bench.DashboardBench "$@"
