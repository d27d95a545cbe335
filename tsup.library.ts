import { rm, writeFile } from 'node:fs/promises';
import type { Options } from 'tsup';

/**
 * The build of a published library package: one ES module implementation, reachable from `import` and `require`.
 *
 * - `dist/<entry>.js` + `.d.ts`: the ESM build, the only implementation.
 * - `dist/<entry>.cjs`: a one-line CommonJS entry, `module.exports = require('./<entry>.js')`. Node >= 20.19 (our
 *   `engines`) loads ES modules with `require()`, so a CommonJS program gets the very same module instance as an ESM
 *   one in the same process. A second, CommonJS build of the code would be a second instance (the dual-package
 *   hazard): two process-wide REST budgets and WebSocket connect governors (Upbit's limits counted twice, so an IP
 *   block becomes possible) and two copies of every error class (`instanceof` fails across them; the `isX` guards
 *   would still hold, since they check a `Symbol.for` brand and the error code).
 * - `dist/<entry>.d.cts`: the same declarations for CommonJS consumers (TypeScript's node16/nodenext resolution
 *   reads a `.d.ts` next to an ES module as ESM-only, "dynamic import only"; `@arethetypeswrong/cli` checks this).
 *
 * tsup emits both declaration flavours from one declaration pass when both formats are built, so the CommonJS
 * format is built too and its bundle then replaced by the one-line entry (and its source map removed).
 */
export function libraryConfig(entries: readonly string[]): Options {
  return {
    entry: entries.map((name) => `src/${name}.ts`),
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    async onSuccess() {
      await Promise.all(
        entries.map(async (name) => {
          await rm(`dist/${name}.cjs.map`, { force: true });
          await writeFile(`dist/${name}.cjs`, cjsEntry(name));
        }),
      );
    },
  };
}

function cjsEntry(name: string): string {
  return [
    "'use strict';",
    '// CommonJS entry: the ES module itself, loaded with require() (Node >= 20.19), so both share one instance.',
    `module.exports = require('./${name}.js');`,
    '',
  ].join('\n');
}
