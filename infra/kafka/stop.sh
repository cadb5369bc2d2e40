#!/usr/bin/env bash
# Stop the Kafka broker started by start.sh (SIGTERM, wait up to 30 s, then SIGKILL).
# Exits 0 if it is not running. Data is kept unless --clean is given.
#
#   stop.sh           stop, keep topics/offsets for the next start.sh
#   stop.sh --clean   stop and delete the data dir (KAFKA_DATA_DIR, default target/data)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DATA_DIR="${KAFKA_DATA_DIR:-target/data}"
[[ "$DATA_DIR" = /* ]] || DATA_DIR="$SCRIPT_DIR/$DATA_DIR"
PID_FILE="$DATA_DIR/kafka.pid"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

CLEAN=0
for arg in "$@"; do
  case "$arg" in
    --clean) CLEAN=1 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "stop.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { echo "stop.sh: $*" >&2; }

is_our_kafka() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'kafka\.Kafka' || return 1
  fi
}

pid=""
[[ -f "$PID_FILE" ]] && pid="$(cat "$PID_FILE" 2>/dev/null || true)"

if [[ "$pid" =~ ^[0-9]+$ ]] && is_our_kafka "$pid"; then
  log "stopping Kafka broker (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still running after ${STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  log "stopped"
else
  log "Kafka broker is not running"
fi
rm -f "$PID_FILE"

if (( CLEAN )); then
  # Only ever delete a directory that looks like one start.sh created.
  if [[ -d "$DATA_DIR" ]]; then
    if [[ -f "$DATA_DIR/cluster.id" || -d "$DATA_DIR/kraft-logs" || -d "$DATA_DIR/config" ]]; then
      rm -rf "$DATA_DIR"
      log "deleted data dir $DATA_DIR"
    else
      log "refusing to delete $DATA_DIR: it does not look like a start.sh data dir" >&2
      exit 1
    fi
  fi
fi
