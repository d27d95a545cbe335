import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIBRARY_PACKAGES, ROOT } from './support/library-packages.js';

// `pnpm docs` (typedoc.json): every public function and type of the published packages carries a doc comment, every
// link resolves, nothing public is left unexported. The config treats any warning as an error, so this build fails
// on the first undocumented export.

const run = promisify(execFile);
let out: string;
let result: { code: number; output: string };

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'marketdata-docs-'));
  const typedoc = join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');
  try {
    const { stdout, stderr } = await run(process.execPath, [typedoc, '--out', out], { cwd: ROOT, timeout: 240_000 });
    result = { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    result = { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}, 260_000);

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('the API reference (typedoc)', () => {
  it('builds with no warning: every public function and type documented, every link resolved', () => {
    expect(result.output).not.toMatch(/\[warning\]|\[error\]/);
    expect(result.code).toBe(0);
  });

  it('has one page per published entry point, named as it is imported', async () => {
    const modules = await readdir(join(out, 'modules'));
    const expected = LIBRARY_PACKAGES.flatMap((pkg) =>
      pkg.subpaths.map((subpath) => `${pkg.name}${subpath === '.' ? '' : subpath.slice(1)}`),
    );
    expect(modules.sort()).toEqual(expected.map((name) => `${name.replace(/[@/]/g, '_')}.html`).sort());
  });
});
