import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts', 'src/cli.ts', 'src/bench/throughput.ts'],
    format: ['esm'],
    dts: { entry: ['src/index.ts'] },
    sourcemap: true,
    clean: false,
    target: 'node20',
  },
  {
    // One self-contained file (every dependency inlined) for the container image, which has only `node`.
    entry: { 'sim-bundle': 'src/cli.ts' },
    format: ['esm'],
    noExternal: [/.*/],
    // ws loads these optional native helpers inside try/catch; without them it uses its JS fallbacks.
    external: ['bufferutil', 'utf-8-validate'],
    // ws is CommonJS and requires Node built-ins; give the ESM bundle a real `require` for them.
    banner: {
      js: "import { createRequire as __simCreateRequire } from 'node:module';\nconst require = __simCreateRequire(import.meta.url);",
    },
    dts: false,
    sourcemap: false,
    clean: false,
    target: 'node20',
  },
]);
