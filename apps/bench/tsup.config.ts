import { defineConfig } from 'tsup';

export default defineConfig({
  // The simulator runner, the soak and the replay server are entries of their own: the bench forks them as separate processes.
  entry: {
    main: 'src/main.ts',
    'perf-table': 'src/perf-table.ts',
    'sim-runner': 'src/sim/sim-runner.ts',
    'soak-child': 'src/soak/soak-child.ts',
    'fault-child': 'src/fault-schedule/fault-child.ts',
    'replay-child': 'src/replay/replay-child.ts',
    'ingest-child': 'src/replay/ingest-child.ts',
    'fleet-child': 'src/fleet/fleet-child.ts',
  },
  dts: false,
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
});
