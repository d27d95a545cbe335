import { afterEach } from 'vitest';
import { announceMissingEngine, containerTestsAreRequired, probeContainerEngine } from './container-engine.js';
import { SIM_IMAGE, type SimContainer, type SimContainerOptions, startSimContainer } from './sim-container.js';

/** Whether a test file's container tests run here: skipped (loudly) on a machine without an engine, run and failed
 * with the reason when CI requires them. The same policy as container-faults.test.ts, for the adapter test files. */
export interface ContainerGate {
  /** Pass to `describe.skipIf`. */
  readonly skip: boolean;
  /** Set when the engine is missing but the tests are required: every test fails with it. */
  readonly unavailable: string | undefined;
}

export async function containerGate(): Promise<ContainerGate> {
  const engine = await probeContainerEngine(SIM_IMAGE);
  const required = containerTestsAreRequired();
  if (engine.ready) return { skip: false, unavailable: undefined };
  announceMissingEngine(engine.reason, required);
  return { skip: !required, unavailable: `container engine required in CI: ${engine.reason}` };
}

/**
 * Call inside a `describe`: returns a function that starts a fresh simulator container for the calling test (each
 * fault leaves the simulator in its own state) and removes it after the test, whatever happened.
 */
export function useSimContainers(gate: ContainerGate): (options?: SimContainerOptions) => Promise<SimContainer> {
  const started: SimContainer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sim) => sim.close()));
  });
  return async (options = {}) => {
    // Thrown in the test (not in a hook) so that each test fails with the reason instead of being marked skipped.
    if (gate.unavailable !== undefined) throw new Error(gate.unavailable);
    const sim = await startSimContainer(options);
    started.push(sim);
    return sim;
  };
}
