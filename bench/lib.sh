# Shared by the bench/run-*.sh scripts; not run by itself.
# Each script runs one benchmark main class from bench/target/shepherd-bench.jar under a time bound, records the pid of
# every process the benchmark starts in a pidfile, and stops whatever is left of them on exit (normal end, error,
# Ctrl-C, or the time bound). Everything listens on 127.0.0.1 only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/shepherd-bench.XXXXXX")"
PIDFILE="$RUN_DIR/pids"
: > "$PIDFILE"
JAVA_PID=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$JAVA_PID" ]] && kill -0 "$JAVA_PID" 2>/dev/null; then
    kill -TERM "$JAVA_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$JAVA_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$JAVA_PID" 2>/dev/null || true
  fi
  # What the harness started and did not stop (it was killed, or the time bound hit).
  while read -r pid; do
    [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null || true
  done < "$PIDFILE"
  echo "work directory (logs, samples, plots): $RUN_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need_jars() {
  if [[ ! -f server/target/shepherd-server.jar || ! -f worker/target/shepherd-worker.jar \
        || ! -f bench/target/shepherd-bench.jar ]]; then
    echo "building the jars (mvn package -DskipTests) ..."
    mvn -q -B -o package -DskipTests || mvn -q -B package -DskipTests
  fi
}

# apt-get install a Debian package when its command is missing (root, or sudo without a password).
need_command() {
  local cmd="$1" pkg="$2"
  command -v "$cmd" >/dev/null 2>&1 && return 0
  echo "$cmd is missing: installing the Debian package $pkg"
  local sudo=""
  [[ "$(id -u)" -ne 0 ]] && sudo="sudo -n"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$pkg" >/dev/null
}

machine() {
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), \
$(free -g | awk '/Mem:/ {print $2}') GiB, kernel $(uname -r), $(java -version 2>&1 | head -1)"
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# run_bench SECONDS MAIN_CLASS [-Dkey=value ...]: the benchmark, killed if it runs longer than SECONDS.
run_bench() {
  local bound="$1" main="$2"
  shift 2
  machine
  timeout --signal=TERM --kill-after=30 "$bound" \
    java -Dshepherd.home="$ROOT" -Dbench.dir="$RUN_DIR" -Dbench.pidfile="$PIDFILE" "$@" \
      -cp bench/target/shepherd-bench.jar "$main" &
  JAVA_PID=$!
  local rc=0
  wait "$JAVA_PID" || rc=$?
  JAVA_PID=""
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  return "$rc"
}
