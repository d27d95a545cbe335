import { getContainerRuntimeClient, ImageName } from 'testcontainers';

/**
 * Whether a test file's container tests run here. On a machine without a container engine (or without the locally
 * built image) they are skipped with a banner; where CI is set they run and each one fails with the reason.
 * The same policy as tools/reliability.
 */
export interface ContainerGate {
  /** Pass to `describe.skipIf`. */
  readonly skip: boolean;
  /** Set when the engine or image is missing but the tests are required: every test should fail with it. */
  readonly unavailable: string | undefined;
}

const SETUP_HINT =
  'run `scripts/setup-components.sh && eval "$(scripts/containers/setup.sh)"` from the repository root as root';

/**
 * Probes the engine the way testcontainers finds it (DOCKER_HOST, ~/.testcontainers.properties, sockets) and looks
 * for `image`, which must have been built locally (nothing can be pulled on these machines).
 * `env` is read only for CI (is the test required?) and DOCKER_HOST (named in the reason).
 */
export async function containerGate(image: string, env: NodeJS.ProcessEnv = process.env): Promise<ContainerGate> {
  const missing = await probeEngine(image, env);
  if (missing === undefined) return { skip: false, unavailable: undefined };
  const required = isCi(env);
  announce(missing, required);
  return { skip: !required, unavailable: `container engine required in CI: ${missing}` };
}

async function probeEngine(image: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  let client: Awaited<ReturnType<typeof getContainerRuntimeClient>>;
  try {
    client = await getContainerRuntimeClient();
  } catch (error) {
    return `no container engine reachable (DOCKER_HOST=${env.DOCKER_HOST ?? '(unset)'}): ${String(error)}`;
  }
  try {
    if (!(await client.image.exists(ImageName.fromString(image)))) return `the engine has no image ${image}`;
  } catch (error) {
    return `the engine did not answer an image look-up: ${String(error)}`;
  }
  return undefined;
}

function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** A banner no one scrolls past: these tests did not run, and why. */
function announce(reason: string, required: boolean): void {
  const line = '!'.repeat(100);
  const verdict = required
    ? 'CI is set: these container tests are REQUIRED and will FAIL.'
    : 'These container tests are SKIPPED on this machine (they are required in CI).';
  console.error(
    [line, `!!! CONTAINER ENGINE NOT AVAILABLE: ${reason}`, `!!! ${verdict}`, `!!! To run them, ${SETUP_HINT}.`, line]
      .map((text) => `\n${text}`)
      .join(''),
  );
}
