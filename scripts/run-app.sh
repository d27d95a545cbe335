#!/bin/sh
# Starts one of the workspace's programs for a root script (`pnpm demo`, `pnpm sim`, `pnpm bench`):
#
#   "sim": "exec scripts/run-app.sh @marketdata/upbit-sim packages/upbit-sim/dist/cli.js"
#
# Arguments: the turbo filter to build first ("-": build nothing), the built entry point (relative to the repository
# root), then the program's own arguments (pnpm appends what the user typed; one leading `--` is dropped, so
# `pnpm sim -- --help` and `pnpm sim --help` are the same).
#
# Why it is shaped so:
#   - stdout carries only the program's output: turbo's build log (task prefixes, summary, errors) goes to stderr,
#     so `pnpm -s bench --json | jq .` and `pnpm -s sim | ...` read the program alone.
#   - the program becomes pnpm's direct child. Both the root script (`exec scripts/run-app.sh`) and this script end
#     in `exec`: Debian's /bin/sh (dash) does not wait for a child that handles Ctrl-C, it dies of the SIGINT itself,
#     and pnpm then reports 130 whatever the program exits with. A nested `pnpm run` (the old `pnpm --filter ...
#     start`) is worse: the inner pnpm gets SIGINT twice (from the terminal and forwarded by the outer pnpm) and
#     answers the second with SIGTERM to the program.
#   - so the exit status of `pnpm demo` / `pnpm sim` is the program's own. On Ctrl-C the terminal sends SIGINT to the
#     whole process group and pnpm forwards the one it gets: the program receives SIGINT twice, a few milliseconds
#     apart. A program that wants "Ctrl-C exits 0" must shut down on the first and treat the second as the same
#     request (not as "force quit"), then exit 0.
set -eu

root="$(cd "$(dirname "$0")/.." && pwd)"
[ "$#" -ge 2 ] || {
  echo "usage: $0 <turbo filter | -> <entry.js> [program arguments...]" >&2
  exit 2
}
filter="$1"
entry="$2"
shift 2
if [ "${1-}" = -- ]; then shift; fi

if [ "$filter" != - ]; then
  # The root's own turbo, wherever this is started from; errors only (a cache hit prints nothing of the task).
  if ! (cd "$root" && "$root/node_modules/.bin/turbo" run build --filter="$filter" --output-logs=errors-only) >&2; then
    echo "run-app: building $filter failed (see above); not starting $entry" >&2
    exit 1
  fi
fi
exec node "$root/$entry" "$@"
