import { type ContainerGate, type ContainerGateBanner, containerGate as gateFor } from '@marketdata/nats-testing';
import { afterEach } from 'vitest';
import { SIM_IMAGE, type SimContainer, type SimContainerOptions, startSimContainer } from './sim-container.js';

export type { ContainerGate };

/** The banner of the simulator container suites, when the engine or the simulator image is missing. */
export const SIM_CONTAINER_BANNER: ContainerGateBanner = {
  tests: 'the container fault tests',
  setupHint: 'run `eval "$(scripts/containers/setup.sh)"` from the repository root (see ../shared/containers.md)',
};

/** Whether a test file's simulator container tests run here: skipped (loudly) on a machine without an engine, run
 * and failed with the reason when CI requires them (the policy of `@marketdata/nats-testing`'s gate). */
export function containerGate(): Promise<ContainerGate> {
  return gateFor(SIM_IMAGE, process.env, SIM_CONTAINER_BANNER);
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
