import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');

/** The published packages: folder under packages/, and the entry points a consumer may import. */
export const LIBRARY_PACKAGES = [
  { dir: 'domain', name: '@marketdata/domain', subpaths: ['.', './testing'] },
  { dir: 'adapters-upbit', name: '@marketdata/adapters-upbit', subpaths: ['.', './wire'] },
  { dir: 'backbone', name: '@marketdata/backbone', subpaths: ['.'] },
  { dir: 'upbit', name: '@marketdata/upbit', subpaths: ['.'] },
  { dir: 'pino', name: '@marketdata/pino', subpaths: ['.'] },
  { dir: 'metrics', name: '@marketdata/metrics', subpaths: ['.'] },
] as const;

export type LibraryPackage = (typeof LIBRARY_PACKAGES)[number];

/** The pnpm running the tests (turbo starts tasks with it and names it in npm_execpath), else the one on PATH. */
export function pnpmCommand(args: readonly string[]): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm\.c?js$/.test(execPath)) return [process.execPath, [execPath, ...args]];
  return ['pnpm', [...args]];
}

export type PackedPackage = LibraryPackage & { readonly tarball: string };

/**
 * Packs every library package as `pnpm publish` would (`workspace:` ranges become real ones) into a new temporary
 * folder. Uses the built `dist/` (turbo builds the library before this package's tests).
 */
export async function packLibraries(): Promise<{ readonly dir: string; readonly packages: readonly PackedPackage[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'marketdata-packs-'));
  for (const pkg of LIBRARY_PACKAGES) {
    const [command, args] = pnpmCommand(['pack', '--pack-destination', dir]);
    await run(command, args, { cwd: join(ROOT, 'packages', pkg.dir), timeout: 60_000 });
  }
  const files = await readdir(dir);
  const packages = LIBRARY_PACKAGES.map((pkg) => {
    const prefix = `${pkg.name.replace('@', '').replace('/', '-')}-`;
    const file = files.find((candidate) => candidate.startsWith(prefix) && candidate.endsWith('.tgz'));
    if (file === undefined) throw new Error(`no tarball for ${pkg.name} in ${dir}: ${files.join(', ')}`);
    return { ...pkg, tarball: join(dir, file) };
  });
  return { dir, packages };
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}
