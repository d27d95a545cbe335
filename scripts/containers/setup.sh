#!/usr/bin/env bash
# Makes a container engine available to testcontainers and builds the simulator and NATS images, without any registry.
#
#   env_lines="$(scripts/containers/setup.sh)" && eval "$env_lines"
#
# Runs as root on a fresh Debian 12 that has only node/npm (see ../shared/containers.md for why each step is so).
# Idempotent: every step checks first. Progress goes to stderr; stdout carries only the `export ...` lines to apply.
#   1. a Docker engine that already answers is used as it is; otherwise podman + runc from apt, configured for
#      this machine's cgroup layout, serve the Docker API on unix:///tmp/podman.sock (pid in /tmp/podman-service.pid)
#   2. the simulator's single-file bundle (packages/upbit-sim/dist/sim-bundle.js) is built if missing or stale
#   3. the image localhost/upbit-sim:dev is imported from a root filesystem made of the host's node binary, its
#      shared libraries and loader, /etc/passwd and the bundle; skipped when the same bundle and node are inside.
#   4. the image localhost/nats:dev, the same way from Debian's nats-server (installed by ../setup-components.sh):
#      the binary, the C library it links (Debian builds it dynamically linked) and minimal /etc files; its CMD runs
#      JetStream (store in /data) with the client port 4222 and the monitoring port 8222 (/healthz); skipped when
#      the same binary, libraries and command are inside.
# When this run started the podman service it also prints `export MARKETDATA_PODMAN_SERVICE_STARTED=1`: .ci/run
# then runs cleanup.sh at its end; a service that was already running (another run's, on a shared machine) is left
# alone, with its containers.
# A step that fails does not stop the later ones: the engine's environment is printed whenever the engine answers
# (the tests of the image that is missing then fail with the reason), and the exit status is non-zero.
# Undo with scripts/containers/cleanup.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SOCK_PATH=/tmp/podman.sock
SERVICE_LOG=/tmp/podman-service.log
SERVICE_PID=/tmp/podman-service.pid
APT_LOG=/tmp/containers-apt.log
IMAGE=localhost/upbit-sim:dev
NATS_IMAGE=localhost/nats:dev
NATS_BINARY=/usr/sbin/nats-server
# Client and monitoring ports inside the container (tools/nats-testing maps them to host ports it picks).
NATS_PORT=4222
NATS_MONITOR_PORT=8222
# No shell in this image either. The server name is fixed so JetStream's store in /data is the same server's after a
# restart of the container.
NATS_CMD="[\"$NATS_BINARY\",\"--port\",\"$NATS_PORT\",\"--http_port\",\"$NATS_MONITOR_PORT\",\"--server_name\",\"nats-dev\",\"--jetstream\",\"--store_dir\",\"/data\"]"
SIM_DIR="$ROOT/packages/upbit-sim"
BUNDLE="$SIM_DIR/dist/sim-bundle.js"
# The simulator listens on these ports inside the container; tests map them to random host ports.
SIM_PORT=8080
SIM_ADMIN_PORT=8081
# No shell in the image: CMD is an exec array.
SIM_CMD="[\"/usr/local/bin/node\",\"/app/sim.js\",\"--host\",\"0.0.0.0\",\"--port\",\"$SIM_PORT\",\"--admin-port\",\"$SIM_ADMIN_PORT\"]"

say() { echo "[containers/setup] $*" >&2; }
# Inside a step (run in a subshell by run_step): ends that step only.
die() { say "ERROR: $*"; exit 1; }
# shellcheck source=../lib/apt.sh
source "$ROOT/scripts/lib/apt.sh"

FAILED_STEPS=()
# Runs one step in a subshell with `set -e` in force (so die() or any failing command ends only that step), prints
# its time and remembers a failure. Call it as a plain statement: in an `if`/`&&`/`||` bash would ignore `set -e`
# inside it.
run_step() {
  local name="$1" started=$SECONDS status
  shift
  set +e
  (
    set -e
    "$@"
  )
  status=$?
  set -e
  if [ "$status" = 0 ]; then
    say "step $name: ok in $((SECONDS - started)) s"
  else
    say "step $name: FAILED after $((SECONDS - started)) s"
    FAILED_STEPS+=("$name")
  fi
}

step_failed() {
  [[ " ${FAILED_STEPS[*]} " == *" $1 "* ]]
}

docker_engine_answers() {
  command -v docker >/dev/null 2>&1 && env -u DOCKER_HOST docker info >/dev/null 2>&1
}

podman_service_answers() {
  [ -S "$SOCK_PATH" ] && podman --remote --url "unix://$SOCK_PATH" version >/dev/null 2>&1
}

install_podman() {
  if command -v podman >/dev/null 2>&1 && command -v runc >/dev/null 2>&1; then
    return
  fi
  [ "$(id -u)" = 0 ] || die 'podman is missing and installing it needs root'
  # With its recommended packages (network plugins, conmon, slirp4netns...): the set verified with testcontainers.
  apt_install_missing "$APT_LOG" --with-recommends podman runc || die 'apt-get could not install podman + runc'
}

configure_podman() {
  # crun and the systemd cgroup manager fail with this machine's cgroup layout; runc + cgroupfs work.
  local conf=/etc/containers/containers.conf
  local wanted
  wanted="$(printf '%s\n' '[containers]' 'default_ulimits = []' '[engine]' 'cgroup_manager = "cgroupfs"' 'runtime = "runc"')"
  if [ -f "$conf" ] && [ "$(cat "$conf")" = "$wanted" ]; then
    return
  fi
  say "writing $conf"
  mkdir -p /etc/containers
  printf '%s\n' "$wanted" >"$conf"
}

start_podman_service() {
  if podman_service_answers; then
    say "podman API already answers on $SOCK_PATH"
    return
  fi
  say "starting podman API service on $SOCK_PATH (log: $SERVICE_LOG)"
  rm -f "$SOCK_PATH"
  # setsid: the service outlives this script and is not hit by signals sent to the caller's process group.
  setsid podman system service --time=0 "unix://$SOCK_PATH" >"$SERVICE_LOG" 2>&1 </dev/null &
  echo $! >"$SERVICE_PID"
  for _ in $(seq 1 100); do
    podman_service_answers && return
    kill -0 "$(cat "$SERVICE_PID")" 2>/dev/null || die "podman service exited, see $SERVICE_LOG"
    sleep 0.1
  done
  die "podman service did not answer within 10 s, see $SERVICE_LOG"
}

bundle_is_stale() {
  [ -f "$BUNDLE" ] || return 0
  # Any simulator or domain source newer than the bundle means the image would run old code.
  [ -n "$(find "$SIM_DIR/src" "$ROOT/packages/domain/src" "$SIM_DIR/package.json" "$SIM_DIR/tsup.config.ts" \
    -newer "$BUNDLE" -print -quit)" ]
}

build_bundle() {
  if ! bundle_is_stale; then
    return
  fi
  [ -d "$ROOT/node_modules" ] || die 'no node_modules: run `pnpm install` first (the bundle is built from source)'
  say 'building the simulator bundle (turbo run build --filter=@marketdata/upbit-sim)'
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
  local pnpm=(pnpm)
  command -v pnpm >/dev/null 2>&1 || pnpm=(corepack pnpm)
  # Through turbo, like `pnpm sim`: it builds domain first (the bundle inlines it) and caches the result, so the
  # build that `pnpm test` runs next is a cache hit.
  (cd "$ROOT" && "${pnpm[@]}" exec turbo run build --filter=@marketdata/upbit-sim --output-logs=errors-only) >&2
  [ -f "$BUNDLE" ] || die "$BUNDLE was not produced by the simulator's build"
}

# Copies an executable's shared libraries and loader (as `ldd` lists them, absolute paths) into a root filesystem.
# A static binary has none ("not a dynamic executable"), which is fine.
copy_shared_libraries() {
  local binary="$1" rootfs="$2" lib
  for lib in $(ldd "$binary" 2>/dev/null | grep -oE '/[^ ]+' || true); do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
}

# Content identity of a binary and what it loads: the fingerprint of an image built from it.
binary_fingerprint() {
  local binary="$1"
  sha256sum "$binary" $(ldd "$binary" 2>/dev/null | grep -oE '/[^ ]+' || true) | cut -d' ' -f1
}

image_label() {
  local engine="$1" image="$2"
  "$engine" image inspect --format '{{ index .Config.Labels "marketdata.fingerprint" }}' "$image" 2>/dev/null || true
}

# Imports ROOTFS as IMAGE with the given --change options, labelled with FINGERPRINT; removes the image it replaces.
import_image() {
  local engine="$1" image="$2" fingerprint="$3" rootfs="$4" previous
  shift 4
  previous="$("$engine" image inspect --format '{{ .Id }}' "$image" 2>/dev/null || true)"
  tar -C "$rootfs" -c . | "$engine" import -q "$@" --change "LABEL marketdata.fingerprint=$fingerprint" - "$image" \
    >/dev/null
  # The replaced image would stay behind untagged (~100 MB each time); a container still using it keeps it.
  [ -z "$previous" ] || "$engine" rmi "$previous" >/dev/null 2>&1 || true
}

# A scratch root filesystem with /etc/passwd, /etc/group and a world-writable /tmp, at $ROOTFS; removed when the
# step (a subshell) exits.
make_rootfs() {
  WORK_DIR="$(mktemp -d /tmp/marketdata-image.XXXXXX)"
  trap 'rm -rf "$WORK_DIR"' EXIT
  ROOTFS="$WORK_DIR/rootfs"
  mkdir -p "$ROOTFS/etc" "$ROOTFS/tmp"
  chmod 1777 "$ROOTFS/tmp"
  echo 'root:x:0:0:root:/root:/bin/false' >"$ROOTFS/etc/passwd"
  echo 'root:x:0:' >"$ROOTFS/etc/group"
}

build_sim_image() {
  local engine="$1" node fingerprint
  node="$(readlink -f "$(command -v node)")"
  fingerprint="$({ sha256sum "$BUNDLE"; binary_fingerprint "$node"; echo "$SIM_CMD"; } | sha256sum | cut -d' ' -f1)"
  if [ "$(image_label "$engine" "$IMAGE")" = "$fingerprint" ]; then
    say "image $IMAGE is up to date"
    return
  fi
  say "building image $IMAGE from a local root filesystem (node $(node --version))"
  make_rootfs
  mkdir -p "$ROOTFS/usr/local/bin" "$ROOTFS/app"
  cp "$node" "$ROOTFS/usr/local/bin/node"
  copy_shared_libraries "$node" "$ROOTFS"
  cp "$BUNDLE" "$ROOTFS/app/sim.js"
  import_image "$engine" "$IMAGE" "$fingerprint" "$ROOTFS" \
    --change "CMD $SIM_CMD" --change "EXPOSE $SIM_PORT" --change "EXPOSE $SIM_ADMIN_PORT"
  say "image $IMAGE built"
}

build_nats_image() {
  local engine="$1" fingerprint
  [ -x "$NATS_BINARY" ] || die "$NATS_BINARY is missing: run scripts/setup-components.sh (apt package nats-server)"
  fingerprint="$({ binary_fingerprint "$NATS_BINARY"; echo "$NATS_CMD"; } | sha256sum | cut -d' ' -f1)"
  if [ "$(image_label "$engine" "$NATS_IMAGE")" = "$fingerprint" ]; then
    say "image $NATS_IMAGE is up to date"
    return
  fi
  say "building image $NATS_IMAGE from $NATS_BINARY ($("$NATS_BINARY" --version))"
  make_rootfs
  mkdir -p "$ROOTFS$(dirname "$NATS_BINARY")" "$ROOTFS/data"
  cp "$NATS_BINARY" "$ROOTFS$NATS_BINARY"
  copy_shared_libraries "$NATS_BINARY" "$ROOTFS"
  # Name lookups read files first (the engine mounts /etc/hosts); there is no DNS to ask.
  echo 'hosts: files dns' >"$ROOTFS/etc/nsswitch.conf"
  import_image "$engine" "$NATS_IMAGE" "$fingerprint" "$ROOTFS" \
    --change "CMD $NATS_CMD" --change "EXPOSE $NATS_PORT" --change "EXPOSE $NATS_MONITOR_PORT"
  say "image $NATS_IMAGE built"
}

prepare_engine() {
  install_podman
  configure_podman
  start_podman_service
}

main() {
  local started=$SECONDS engine service_was_running=false
  if docker_engine_answers; then
    say 'a Docker engine answers: using it'
    engine=docker
  else
    engine=podman
    if podman_service_answers; then service_was_running=true; fi
    run_step engine prepare_engine
    if step_failed engine; then
      say 'no container engine: no image can be built; the container tests will fail with the reason'
      return 1
    fi
  fi
  run_step sim-bundle build_bundle
  if ! step_failed sim-bundle; then
    run_step sim-image build_sim_image "$engine"
  fi
  run_step nats-image build_nats_image "$engine"
  if [ "${#FAILED_STEPS[@]}" -eq 0 ]; then
    say "ready in $((SECONDS - started)) s"
  else
    say "done in $((SECONDS - started)) s; FAILED: ${FAILED_STEPS[*]}"
  fi
  if [ "$engine" = podman ]; then
    echo "export DOCKER_HOST=unix://$SOCK_PATH"
    if ! $service_was_running; then echo 'export MARKETDATA_PODMAN_SERVICE_STARTED=1'; fi
    # Ryuk's image cannot be pulled here; cleanup.sh removes leftovers by label instead.
    echo 'export TESTCONTAINERS_RYUK_DISABLED=true'
  fi
  # Tests only ever talk to loopback (without this, podman's bridge gateway would be used).
  echo 'export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1'
  [ "${#FAILED_STEPS[@]}" -eq 0 ]
}

main "$@"
