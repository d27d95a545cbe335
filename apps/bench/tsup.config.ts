import { defineConfig } from 'tsup';

export default defineConfig({
  // The simulator runner is its own entry: the bench forks it as a separate process.
  entry: { main: 'src/main.ts', 'sim-runner': 'src/sim/sim-runner.ts' },
  dts: false,
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
});
