import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const config = join(root, '.dependency-cruiser.cjs');
const violationsDir = join(here, '..', 'fixtures', 'violations');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

function run(cwd: string, args: readonly string[]): { exitCode: number; stdout: string } {
  try {
    const stdout = execFileSync(depcruise, [...args, '--config', config], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return { exitCode: 0, stdout };
  } catch (error) {
    const failure = error as { status: number; stdout: string };
    return { exitCode: failure.status, stdout: failure.stdout };
  }
}

/** The violations (JSON report) and the exit code of the same command `pnpm lint` runs (default reporter). */
function cruise(cwd: string, targets: readonly string[]): { exitCode: number; violations: readonly Violation[] } {
  const report = run(cwd, [...targets, '--output-type', 'json']);
  const violations = (JSON.parse(report.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  return { exitCode: run(cwd, targets).exitCode, violations };
}

/** Cruising the whole workspace parses every source file: seconds alone, several times that on a busy machine. */
const WHOLE_WORKSPACE_MS = 180_000;

describe('layer rules', () => {
  const result = cruise(violationsDir, ['packages', 'apps']);
  const found = (rule: string, from: string, to: string): boolean =>
    result.violations.some((v) => v.rule.name === rule && v.from.endsWith(from) && v.to.includes(to));

  it('fail the build on a deliberate violation', () => {
    expect(result.exitCode).not.toBe(0);
  });

  it('forbid domain from importing npm packages, node built-ins or workspace packages', () => {
    expect(found('domain-is-pure', 'domain/src/imports-npm.ts', 'ky')).toBe(true);
    expect(found('domain-is-pure', 'domain/src/imports-builtin.ts', 'fs')).toBe(true);
    expect(found('domain-is-pure', 'domain/src/imports-workspace.ts', '@marketdata/backbone')).toBe(true);
  });

  it('let adapters import domain only', () => {
    expect(found('adapters-import-domain-only', 'adapters-upbit/src/imports-backbone.ts', 'backbone')).toBe(true);
    expect(found('adapters-import-domain-only', 'adapters-upbit/src/imports-simulator.ts', 'upbit-sim')).toBe(true);
  });

  it('let the backbone import domain only, and nothing import an app', () => {
    expect(found('backbone-imports-domain-only', 'backbone/src/imports-adapter.ts', 'adapters-upbit')).toBe(true);
    expect(found('nothing-imports-an-app', 'backbone/src/imports-app.ts', 'apps/demo')).toBe(true);
  });

  it('let the fleet NATS adapter import domain only (the gateway app composes it with the rest)', () => {
    expect(found('nats-imports-domain-only', 'nats/src/imports-backbone.ts', 'backbone')).toBe(true);
    expect(found('nothing-imports-an-app', 'nats/src/imports-gateway.ts', 'apps/gateway')).toBe(true);
    expect(result.violations.filter((v) => v.from.endsWith('nats/src/imports-domain.ts'))).toEqual([]);
  });

  it('accept the allowed direction (backbone -> domain)', () => {
    expect(result.violations.filter((v) => v.from.endsWith('backbone/src/imports-domain.ts'))).toEqual([]);
  });

  it(
    'hold on the real workspace',
    () => {
      const real = cruise(root, ['packages', 'apps', 'tools']);
      expect(real.violations).toEqual([]);
      expect(real.exitCode).toBe(0);
    },
    WHOLE_WORKSPACE_MS,
  );
});
