#!/usr/bin/env bash
# Makes a container engine available to testcontainers and builds the simulator image, without any registry.
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
# Undo with scripts/containers/cleanup.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SOCK_PATH=/tmp/podman.sock
SERVICE_LOG=/tmp/podman-service.log
SERVICE_PID=/tmp/podman-service.pid
APT_LOG=/tmp/containers-apt.log
IMAGE=localhost/upbit-sim:dev
SIM_DIR="$ROOT/packages/upbit-sim"
BUNDLE="$SIM_DIR/dist/sim-bundle.js"
# The simulator listens on these ports inside the container; tests map them to random host ports.
SIM_PORT=8080
SIM_ADMIN_PORT=8081
# No shell in the image: CMD is an exec array.
SIM_CMD="[\"/usr/local/bin/node\",\"/app/sim.js\",\"--host\",\"0.0.0.0\",\"--port\",\"$SIM_PORT\",\"--admin-port\",\"$SIM_ADMIN_PORT\"]"

WORK_DIR=''
trap '[ -z "$WORK_DIR" ] || rm -rf "$WORK_DIR"' EXIT

say() { echo "[containers/setup] $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

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
  say "installing podman + runc from apt (log: $APT_LOG)"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq podman runc; } >"$APT_LOG" 2>&1; then
    tail -n 30 "$APT_LOG" >&2
    die 'apt-get could not install podman + runc'
  fi
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

# Content identity of what would go into the image: the bundle, the node binary and the command.
image_fingerprint() {
  local node="$1"
  { sha256sum "$BUNDLE" "$node"; echo "$SIM_CMD"; } | sha256sum | cut -d' ' -f1
}

build_image() {
  local engine="$1" node fingerprint current previous rootfs lib
  node="$(readlink -f "$(command -v node)")"
  fingerprint="$(image_fingerprint "$node")"
  current="$("$engine" image inspect --format '{{ index .Config.Labels "marketdata.fingerprint" }}' "$IMAGE" \
    2>/dev/null || true)"
  if [ "$current" = "$fingerprint" ]; then
    say "image $IMAGE is up to date"
    return
  fi
  previous="$("$engine" image inspect --format '{{ .Id }}' "$IMAGE" 2>/dev/null || true)"
  say "building image $IMAGE from a local root filesystem (node $(node --version))"
  WORK_DIR="$(mktemp -d /tmp/upbit-sim-image.XXXXXX)"
  rootfs="$WORK_DIR/rootfs"
  mkdir -p "$rootfs/usr/local/bin" "$rootfs/app" "$rootfs/etc" "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
  cp "$node" "$rootfs/usr/local/bin/node"
  # ldd lists the shared libraries and the loader (/lib64/ld-linux-*.so.*) as absolute paths.
  for lib in $(ldd "$node" | grep -oE '/[^ ]+'); do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
  echo 'root:x:0:0:root:/root:/bin/false' >"$rootfs/etc/passwd"
  echo 'root:x:0:' >"$rootfs/etc/group"
  cp "$BUNDLE" "$rootfs/app/sim.js"
  tar -C "$rootfs" -c . | "$engine" import -q \
    --change "CMD $SIM_CMD" \
    --change "EXPOSE $SIM_PORT" --change "EXPOSE $SIM_ADMIN_PORT" \
    --change "LABEL marketdata.fingerprint=$fingerprint" \
    - "$IMAGE" >/dev/null
  # The replaced image would stay behind untagged (~100 MB each time); a container still using it keeps it.
  [ -z "$previous" ] || "$engine" rmi "$previous" >/dev/null 2>&1 || true
  say "image $IMAGE built"
}

main() {
  local started=$SECONDS engine
  if docker_engine_answers; then
    say 'a Docker engine answers: using it'
    engine=docker
  else
    install_podman
    configure_podman
    start_podman_service
    engine=podman
  fi
  build_bundle
  build_image "$engine"
  say "ready in $((SECONDS - started)) s"
  if [ "$engine" = podman ]; then
    echo "export DOCKER_HOST=unix://$SOCK_PATH"
    # Ryuk's image cannot be pulled here; cleanup.sh removes leftovers by label instead.
    echo 'export TESTCONTAINERS_RYUK_DISABLED=true'
  fi
  # Tests only ever talk to loopback (without this, podman's bridge gateway would be used).
  echo 'export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1'
}

main "$@"
