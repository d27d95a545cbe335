import { getContainerRuntimeClient, ImageName } from 'testcontainers';

/** Whether the container tests can run here, and if not, why (in words a developer can act on). */
export type ContainerEngineProbe = { readonly ready: true } | { readonly ready: false; readonly reason: string };

const SETUP_HINT = 'run `eval "$(scripts/containers/setup.sh)"` from the repository root (see ../shared/containers.md)';

/** Finds a container engine the way testcontainers does (DOCKER_HOST, ~/.testcontainers.properties, sockets) and
 * checks that the locally built image is there: nothing can be pulled on these machines. */
export async function probeContainerEngine(image: string): Promise<ContainerEngineProbe> {
  let client: Awaited<ReturnType<typeof getContainerRuntimeClient>>;
  try {
    client = await getContainerRuntimeClient();
  } catch (error) {
    const dockerHost = process.env.DOCKER_HOST ?? '(unset)';
    return { ready: false, reason: `no container engine reachable (DOCKER_HOST=${dockerHost}): ${String(error)}` };
  }
  try {
    if (!(await client.image.exists(ImageName.fromString(image)))) {
      return { ready: false, reason: `the engine has no image ${image}` };
    }
  } catch (error) {
    return { ready: false, reason: `the engine did not answer an image look-up: ${String(error)}` };
  }
  return { ready: true };
}

/** CI must run the container tests for real; a developer's machine without an engine may skip them, loudly. */
export function containerTestsAreRequired(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** A banner no one scrolls past: these tests did not run, and why. */
export function announceMissingEngine(reason: string, required: boolean): void {
  const line = '!'.repeat(100);
  const verdict = required
    ? 'CI is set: the container fault tests are REQUIRED and will FAIL.'
    : 'The container fault tests are SKIPPED on this machine (they are required in CI).';
  console.error(
    [line, `!!! CONTAINER ENGINE NOT AVAILABLE: ${reason}`, `!!! ${verdict}`, `!!! To run them, ${SETUP_HINT}.`, line]
      .map((text) => `\n${text}`)
      .join(''),
  );
}
