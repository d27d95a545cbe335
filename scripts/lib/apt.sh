# shellcheck shell=bash
# Installs Debian packages that are missing, for the set-up scripts (sourced, not run). Root only.
#
#   source scripts/lib/apt.sh
#   apt_install_missing LOG_FILE [--with-recommends] PACKAGE...
#
# Checks first: already-installed packages are left alone and nothing runs when none is missing. `apt-get update`
# runs only when a wanted package has no install candidate (a fresh machine may have no lists), and before a retry
# when an install from unrefreshed lists fails (an old list names versions the mirror no longer has). Waits for
# another apt/dpkg run's lock instead of failing.
# Services that a package would start at install (prometheus' init script, say) are kept from starting: tests start
# their own processes on their own ports. Progress goes to stderr; the caller defines say().

APT_LOCK_WAIT_S=300
# Overridable for the tests of this file (tools/root-scripts), which must not touch the machine.
POLICY_RC="${APT_POLICY_RC:-/usr/sbin/policy-rc.d}"

apt_is_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

apt_lists_need_update() {
  local pkg
  for pkg in "$@"; do
    apt-cache policy "$pkg" 2>/dev/null | grep -qE 'Candidate: [^(]' || return 0
  done
  return 1
}

apt_get() {
  apt-get -o "DPkg::Lock::Timeout=$APT_LOCK_WAIT_S" "$@" >>"$APT_LOG" 2>&1
}

apt_install_missing() {
  APT_LOG="$1"
  shift
  local recommends='--no-install-recommends' pkg updated=false status=0 made_policy=false
  if [ "${1-}" = --with-recommends ]; then
    recommends=''
    shift
  fi
  local missing=()
  for pkg in "$@"; do
    apt_is_installed "$pkg" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -gt 0 ] || return 0
  if [ "$(id -u)" != 0 ]; then
    say "missing ${missing[*]}; installing needs root"
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [ ! -e "$POLICY_RC" ]; then
    # The standard way to tell invoke-rc.d not to start services (exit 101: action forbidden).
    printf '#!/bin/sh\nexit 101\n' >"$POLICY_RC"
    chmod 755 "$POLICY_RC"
    made_policy=true
  fi
  if apt_lists_need_update "${missing[@]}"; then
    say "apt-get update (log: $APT_LOG)"
    apt_get update -qq && updated=true
  fi
  say "apt-get install ${missing[*]}"
  # shellcheck disable=SC2086 # $recommends is one option or nothing
  if ! apt_get install -y -qq $recommends "${missing[@]}"; then
    if $updated; then
      status=1
    else
      say 'install failed on unrefreshed package lists: apt-get update, then once more'
      # shellcheck disable=SC2086
      { apt_get update -qq && apt_get install -y -qq $recommends "${missing[@]}"; } || status=1
    fi
  fi
  if $made_policy; then rm -f "$POLICY_RC"; fi
  if [ "$status" != 0 ]; then
    tail -n 30 "$APT_LOG" >&2
    say "apt-get could not install ${missing[*]} (log: $APT_LOG)"
    return 1
  fi
  for pkg in "${missing[@]}"; do
    apt_is_installed "$pkg" || { say "$pkg is still not installed after apt-get (log: $APT_LOG)"; return 1; }
  done
}
