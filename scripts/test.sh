#!/usr/bin/env bash
# `pnpm test`: sets up what the tests run against, then build, typecheck, lint (incl. layer rules) and every test.
#   1. Debian's nats-server, chromium and prometheus (scripts/setup-components.sh; apt needs root)
#   2. a container engine (podman serving the Docker API) and the simulator and NATS images, built locally
#      (scripts/containers/setup.sh), with the environment testcontainers reads
# Both steps are idempotent: on a machine that has everything they only check (a few seconds). A step that fails
# does not stop the tests: those that need what is missing fail with the reason (in CI), and the others still run.
# The test tasks run one package at a time: several suites assert bounds in wall time (a stale label within 3 s, a
# fallback within 3 s) that two shared cores running suites side by side would blur.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/setup-components.sh ||
  echo "[test] component set-up failed: the NATS, browser and Prometheus tests will fail" >&2
if env_lines="$(scripts/containers/setup.sh)"; then :; else
  echo "[test] container set-up failed: the container tests will fail (or be skipped outside CI)" >&2
fi
eval "${env_lines:-}"

exec turbo run build typecheck lint test --continue --concurrency=1 "$@"
