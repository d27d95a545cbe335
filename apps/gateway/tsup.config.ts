import { defineConfig } from 'tsup';

export default defineConfig({
  // The consumer is an entry of its own: tests and the bench run it as separate processes.
  entry: { main: 'src/main.ts', consumer: 'src/consumer/main.ts' },
  dts: false,
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
});
