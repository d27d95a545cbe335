import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The server (Node).
    entry: ['src/main.ts'],
    dts: false,
    format: ['esm'],
    sourcemap: true,
    clean: false,
    target: 'node20',
  },
  {
    // The page: one browser bundle with lightweight-charts inside (no CDN), plus the HTML and CSS copied as they are.
    entry: { app: 'src/page/main.ts' },
    outDir: 'dist/public',
    publicDir: 'src/page/static',
    format: ['iife'],
    platform: 'browser',
    target: 'es2022',
    noExternal: [/.*/],
    minify: true,
    sourcemap: false,
    dts: false,
    clean: false,
    tsconfig: 'src/page/tsconfig.json',
    outExtension: () => ({ js: '.js' }),
  },
]);
