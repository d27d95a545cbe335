import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIBRARY_PACKAGES, type PackedPackage, packLibraries, ROOT } from './support/library-packages.js';

const run = promisify(execFile);

let dir: string;
let packed: readonly PackedPackage[];

beforeAll(async () => {
  ({ dir, packages: packed } = await packLibraries());
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function tarballOf(name: string): string {
  const found = packed.find((pkg) => pkg.name === name);
  if (found === undefined) throw new Error(`${name} was not packed`);
  return found.tarball;
}

async function tarFile(tarball: string, path: string): Promise<string> {
  const { stdout } = await run('tar', ['-xOzf', tarball, `package/${path}`], { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

interface PackedManifest {
  readonly name: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly engines?: { readonly node?: string };
  readonly repository?: { readonly type: string; readonly url: string; readonly directory: string };
  readonly sideEffects?: boolean;
  readonly files?: readonly string[];
  readonly publishConfig?: { readonly access?: string };
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

describe.each(LIBRARY_PACKAGES.map((pkg) => [pkg.name, pkg] as const))('%s as packed', (name, pkg) => {
  it('passes publint with nothing to report (errors, warnings and suggestions alike)', async () => {
    const tarball = await readFile(tarballOf(name));
    const bytes = tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) as ArrayBuffer;
    const { messages, pkg: manifest } = await publint({ pack: { tarball: bytes }, level: 'suggestion', strict: true });
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, manifest, { color: false })}`)).toEqual(
      [],
    );
  });

  it('resolves cleanly for node10, node16 from CommonJS and from ESM, and bundlers (are-the-types-wrong)', async () => {
    const analysis = await checkPackage(createPackageFromTarballData(new Uint8Array(await readFile(tarballOf(name)))));
    if (analysis.types === false) throw new Error(`${name} ships no types`);
    expect(analysis.problems).toEqual([]);
    expect(Object.keys(analysis.entrypoints).sort()).toEqual([...pkg.subpaths, './package.json'].sort());
    for (const subpath of pkg.subpaths) {
      const { resolutions } = analysis.entrypoints[subpath] ?? { resolutions: undefined };
      // CommonJS consumers get the .d.cts beside the CommonJS entry; ESM consumers and bundlers the .d.ts.
      expect(resolutions?.['node16-cjs'].resolution?.fileName, subpath).toMatch(/\.d\.cts$/);
      expect(resolutions?.['node16-cjs'].implementationResolution?.fileName, subpath).toMatch(/\.cjs$/);
      expect(resolutions?.['node16-esm'].resolution?.fileName, subpath).toMatch(/\.d\.ts$/);
      expect(resolutions?.['node16-esm'].implementationResolution?.fileName, subpath).toMatch(/\.js$/);
      expect(resolutions?.bundler.resolution?.fileName, subpath).toMatch(/\.d\.ts$/);
      expect(resolutions?.node10.resolution?.fileName, subpath).toMatch(/\.d\.cts$/);
    }
  });

  it('is publishable: public, MIT with its licence text, engines, repository, files, no side effects', async () => {
    const manifest = JSON.parse(await tarFile(tarballOf(name), 'package.json')) as PackedManifest;
    expect(manifest.private).toBeUndefined();
    expect(manifest.license).toBe('MIT');
    expect(manifest.engines?.node).toBe('>=20.19');
    expect(manifest.repository).toMatchObject({ type: 'git', directory: `packages/${pkg.dir}` });
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\/.+\.git$/);
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.publishConfig?.access).toBe('public');
    expect(await tarFile(tarballOf(name), 'LICENSE')).toBe(await readFile(join(ROOT, 'LICENSE'), 'utf8'));
    const readme = await tarFile(tarballOf(name), 'README.md');
    expect(readme).toContain(`npm install ${name}`);
    expect(readme).toMatch(/```ts\n[\s\S]+?```/);
    expect(await tarFile(tarballOf(name), 'CHANGELOG.md')).toContain(`# ${name}`);
  });

  it('names third-party dependencies with caret ranges and workspace ones with real versions', async () => {
    const manifest = JSON.parse(await tarFile(tarballOf(name), 'package.json')) as PackedManifest;
    const ranges = { ...manifest.dependencies, ...manifest.peerDependencies };
    for (const [dependency, range] of Object.entries(ranges)) {
      if (dependency === 'pino-pretty') expect(range, dependency).toMatch(/^>=\d+\.\d+\.\d+$/);
      else expect(range, dependency).toMatch(/^\^\d+\.\d+\.\d+$/);
    }
    // No test tools or simulator reach a user through the published manifest's runtime dependencies.
    expect(Object.keys(ranges).filter((dependency) => /upbit-sim|fixtures|vitest/.test(dependency))).toEqual([]);
  });
});

describe('lean dependencies', () => {
  it('the backbone and the composition package do not pull pino in', async () => {
    for (const name of ['@marketdata/backbone', '@marketdata/upbit', '@marketdata/adapters-upbit']) {
      const manifest = JSON.parse(await tarFile(tarballOf(name), 'package.json')) as PackedManifest;
      expect(Object.keys(manifest.dependencies ?? {}), name).not.toContain('pino');
    }
  });

  it('the adapters ship the ws types their public declarations mention', async () => {
    const manifest = JSON.parse(
      await tarFile(tarballOf('@marketdata/adapters-upbit'), 'package.json'),
    ) as PackedManifest;
    expect(await tarFile(tarballOf('@marketdata/adapters-upbit'), 'dist/index.d.ts')).toMatch(/from 'ws'/);
    expect(manifest.dependencies).toHaveProperty('@types/ws');
  });

  it('prom-client is the application’s own (a peer), so the registry it passes in is the one we register in', async () => {
    const manifest = JSON.parse(await tarFile(tarballOf('@marketdata/metrics'), 'package.json')) as PackedManifest;
    expect(manifest.peerDependencies).toHaveProperty('prom-client');
    expect(manifest.dependencies ?? {}).not.toHaveProperty('prom-client');
  });
});
