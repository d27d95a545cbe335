import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts'],
  dts: false,
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
});
