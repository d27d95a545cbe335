#!/usr/bin/env bash
# Undoes what scripts/containers/setup.sh started: removes every container testcontainers created (by label; Ryuk,
# which would do this, cannot be pulled here) and stops the podman API service that setup.sh started (by its pid
# file). Keeps the installed packages and the image, so the next setup is quick. Safe to run any number of times.
set -euo pipefail

SOCK_PATH=/tmp/podman.sock
SERVICE_PID=/tmp/podman-service.pid
# Every container testcontainers creates has the first label; this project's helpers (tools/reliability,
# tools/nats-testing) add the second, with the suite's name as its value.
TC_LABEL=org.testcontainers=true
OWN_LABEL=marketdata.suite

say() { echo "[containers/cleanup] $*" >&2; }

remove_labelled_containers() {
  local engine="$1" label="$2" ids
  ids="$("$engine" ps -aq --filter "label=$label" 2>/dev/null || true)"
  if [ -n "$ids" ]; then
    say "removing containers: $(echo "$ids" | tr '\n' ' ')"
    # Word splitting is wanted: one id per word.
    # shellcheck disable=SC2086
    "$engine" rm -f $ids >/dev/null || say 'some containers could not be removed'
  fi
}

stop_service() {
  [ -f "$SERVICE_PID" ] || return 0
  local pid
  pid="$(cat "$SERVICE_PID")"
  # Only the process setup.sh started, and only if it still is a podman service.
  if kill -0 "$pid" 2>/dev/null && grep -q podman "/proc/$pid/cmdline" 2>/dev/null; then
    say "stopping podman API service (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      say 'service ignored SIGTERM for 5 s; sending SIGKILL'
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$SERVICE_PID" "$SOCK_PATH"
}

if command -v podman >/dev/null 2>&1; then
  # podman here serves only this project's tests: remove whatever testcontainers left.
  remove_labelled_containers podman "$TC_LABEL"
fi
if command -v docker >/dev/null 2>&1 && env -u DOCKER_HOST docker info >/dev/null 2>&1; then
  # A shared Docker engine may run other projects' testcontainers: remove only this project's (any suite).
  remove_labelled_containers docker "$OWN_LABEL"
fi
stop_service
