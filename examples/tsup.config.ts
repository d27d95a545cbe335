import { defineConfig } from 'tsup';

// Each example is a program of its own: dist/<name>.js.
export default defineConfig({
  entry: ['src/first-price.ts', 'src/streaming-with-cancel.ts', 'src/candles.ts', 'src/metrics.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
