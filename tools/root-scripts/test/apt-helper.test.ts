import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// scripts/lib/apt.sh, the check-first apt step of the set-up scripts, run against stand-ins for apt-get, apt-cache,
// dpkg-query and id (nothing on the machine is installed or changed). Each stand-in records what it was asked.

const APT_HELPER = resolve(import.meta.dirname, '..', '..', '..', 'scripts', 'lib', 'apt.sh');

/** The stand-ins. State: $STUB/installed/<pkg> marks an installed package; $STUB/calls lists apt-get calls. */
const STUBS: Readonly<Record<string, string>> = {
  'dpkg-query': `#!/bin/sh
for last; do :; done
[ -e "$STUB/installed/$last" ] && printf installed || printf not-installed`,
  'apt-cache': `#!/bin/sh
# apt-cache policy PKG: a candidate only for packages listed in $STUB/candidates (as after an update).
if grep -qx "$2" "$STUB/candidates" 2>/dev/null; then echo "  Candidate: 1.0"; else echo "  Candidate: (none)"; fi`,
  'apt-get': `#!/bin/sh
shift 2 # -o DPkg::Lock::Timeout=...
if [ -e "$APT_POLICY_RC" ]; then policy="policy:$(tail -n 1 "$APT_POLICY_RC")"; else policy='policy:none'; fi
echo "$* $policy" >>"$STUB/calls"
case "$1" in
  update) [ -e "$STUB/update-fails" ] && exit 100; cp "$STUB/all-packages" "$STUB/candidates"; rm -f "$STUB/stale" ;;
  install)
    [ -e "$STUB/stale" ] && exit 100
    [ -e "$STUB/install-fails" ] && exit 100
    for arg; do case "$arg" in -*|install) ;; *) touch "$STUB/installed/$arg" ;; esac; done ;;
esac`,
  id: `#!/bin/sh
echo 0`,
};

interface Outcome {
  readonly status: number | null;
  readonly stderr: string;
  /** apt-get calls, each with whether a policy-rc.d forbade service starts at that moment. */
  readonly calls: readonly string[];
  readonly policyAfter: string | undefined;
}

describe('scripts/lib/apt.sh apt_install_missing', () => {
  let stub: string;

  beforeEach(async () => {
    stub = await mkdtemp(join(tmpdir(), 'apt-helper-'));
    await mkdir(join(stub, 'bin'));
    await mkdir(join(stub, 'installed'));
    for (const [name, body] of Object.entries(STUBS)) {
      await writeFile(join(stub, 'bin', name), `${body}\n`);
      await chmod(join(stub, 'bin', name), 0o755);
    }
    await writeFile(join(stub, 'all-packages'), 'chromium\nnats-server\nprometheus\npodman\n');
  });

  afterEach(async () => {
    await rm(stub, { recursive: true, force: true });
  });

  async function given(state: { installed?: string[]; candidates?: string[]; flags?: string[] }): Promise<void> {
    for (const name of state.installed ?? []) await writeFile(join(stub, 'installed', name), '');
    await writeFile(join(stub, 'candidates'), (state.candidates ?? []).map((name) => `${name}\n`).join(''));
    for (const flag of state.flags ?? []) await writeFile(join(stub, flag), '');
  }

  async function install(...args: string[]): Promise<Outcome> {
    const policy = join(stub, 'policy-rc.d');
    const result = spawnSync(
      'bash',
      ['-c', 'set -euo pipefail; say() { echo "$*" >&2; }; source "$0"; apt_install_missing "$@"', APT_HELPER, ...args],
      {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, PATH: `${join(stub, 'bin')}:${process.env.PATH}`, STUB: stub, APT_POLICY_RC: policy },
      },
    );
    const calls = await readFile(join(stub, 'calls'), 'utf8').catch(() => '');
    const policyAfter = await readFile(policy, 'utf8').catch(() => undefined);
    return { status: result.status, stderr: result.stderr, calls: calls.split('\n').filter(Boolean), policyAfter };
  }

  const log = () => join(stub, 'apt.log');

  it('does nothing when every package is installed', async () => {
    await given({ installed: ['nats-server', 'prometheus'] });
    expect(await install(log(), 'nats-server', 'prometheus')).toMatchObject({ status: 0, calls: [] });
  });

  it('installs only the missing ones, without recommends, with services kept from starting', async () => {
    await given({ installed: ['nats-server'], candidates: ['nats-server', 'prometheus', 'chromium'] });
    const outcome = await install(log(), 'nats-server', 'prometheus', 'chromium');
    expect(outcome).toMatchObject({
      status: 0,
      calls: ['install -y -qq --no-install-recommends prometheus chromium policy:exit 101'],
      // The temporary policy is gone afterwards.
      policyAfter: undefined,
    });
  });

  it('leaves a policy-rc.d that was already there', async () => {
    await given({ candidates: ['podman'] });
    await writeFile(join(stub, 'policy-rc.d'), '#!/bin/sh\n# the machine image own\nexit 101\n');
    const outcome = await install(log(), 'podman');
    expect(outcome.policyAfter).toBe('#!/bin/sh\n# the machine image own\nexit 101\n');
  });

  it('keeps recommended packages when asked', async () => {
    await given({ candidates: ['podman'] });
    expect((await install(log(), '--with-recommends', 'podman')).calls).toEqual([
      'install -y -qq podman policy:exit 101',
    ]);
  });

  it('updates the package lists first when a package has no candidate (a fresh machine)', async () => {
    await given({ candidates: [] });
    const outcome = await install(log(), 'chromium');
    expect(outcome).toMatchObject({
      status: 0,
      calls: ['update -qq policy:exit 101', 'install -y -qq --no-install-recommends chromium policy:exit 101'],
    });
  });

  it('updates and retries once when an install from old lists fails', async () => {
    await given({ candidates: ['prometheus'], flags: ['stale'] });
    const outcome = await install(log(), 'prometheus');
    expect(outcome).toMatchObject({
      status: 0,
      calls: [
        'install -y -qq --no-install-recommends prometheus policy:exit 101',
        'update -qq policy:exit 101',
        'install -y -qq --no-install-recommends prometheus policy:exit 101',
      ],
      policyAfter: undefined,
    });
  });

  it('fails, naming the packages, when apt-get cannot install them', async () => {
    await given({ candidates: [], flags: ['install-fails'] });
    const outcome = await install(log(), 'nats-server');
    expect(outcome.status).toBe(1);
    expect(outcome.calls).toEqual([
      'update -qq policy:exit 101',
      'install -y -qq --no-install-recommends nats-server policy:exit 101',
    ]);
    expect(outcome.stderr).toContain('apt-get could not install nats-server');
    expect(outcome.policyAfter).toBeUndefined();
  });
});
