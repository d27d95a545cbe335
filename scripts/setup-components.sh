#!/usr/bin/env bash
# Installs the real components that tests run against, from Debian's packages (no other download is reachable):
#   nats-server (2.9, JetStream + KV)      /usr/sbin/nats-server  tools/nats-testing (process; the image is built by
#                                                                  scripts/containers/setup.sh from this binary)
#   chromium + fonts-liberation, -dejavu   /usr/bin/chromium      tools/browser-testing (playwright-core drives it;
#                                                                  without fonts, screenshots show no text)
#   prometheus (2.42)                      /usr/bin/prometheus    tools/prometheus-testing
#
#   scripts/setup-components.sh            (as root; .ci/run runs it before scripts/containers/setup.sh)
#
# Idempotent: installed packages are left alone, and apt-get runs only for what is missing (see lib/apt.sh).
# Recommended packages are not installed (chromium's pull in printing and desktop services; prometheus' the node
# exporter) and no service is started: tests start their own processes on ports they pick.
# Progress goes to stderr; stdout stays empty. Exits non-zero if a component is missing afterwards, so the caller can
# say so; the tests that need it then fail with the reason.
set -euo pipefail

APT_LOG=/tmp/components-apt.log
PACKAGES=(nats-server prometheus chromium fonts-liberation fonts-dejavu-core)
# What each test-support package runs, and the command that proves it runs.
BINARIES=('/usr/sbin/nats-server --version' '/usr/bin/prometheus --version' '/usr/bin/chromium --version')

say() { echo "[setup-components] $*" >&2; }
# shellcheck source=lib/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

main() {
  local started=$SECONDS failed=0 check binary version
  if apt_install_missing "$APT_LOG" "${PACKAGES[@]}"; then
    say "apt packages present (${PACKAGES[*]}) after $((SECONDS - started)) s"
  else
    failed=1
  fi
  for check in "${BINARIES[@]}"; do
    binary="${check%% *}"
    # shellcheck disable=SC2086 # the check is a command line
    if version="$($check 2>/dev/null | head -n 1)" && [ -n "$version" ]; then
      say "$binary: $version"
    else
      say "ERROR: $binary does not run ($check)"
      failed=1
    fi
  done
  say "done in $((SECONDS - started)) s"
  return "$failed"
}

main "$@"
