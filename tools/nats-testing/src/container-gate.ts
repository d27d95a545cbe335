import { getContainerRuntimeClient, ImageName } from 'testcontainers';

/**
 * Whether a test file's container tests run here. On a machine without a container engine (or without the locally
 * built image) they are skipped with a banner; where CI is set they run and each one fails with the reason.
 * tools/reliability gates its simulator suites with it too (its own banner).
 */
export interface ContainerGate {
  /** Pass to `describe.skipIf`. */
  readonly skip: boolean;
  /** Set when the engine or image is missing but the tests are required: every test should fail with it. */
  readonly unavailable: string | undefined;
}

/** What the banner of a skipped (or required) suite says: which tests, and how to make them runnable. */
export interface ContainerGateBanner {
  /** The tests, as a noun phrase that can start a sentence once capitalised (`these container tests`). */
  readonly tests: string;
  /** How to get an engine and the image, finishing "To run them, …". */
  readonly setupHint: string;
}

const NATS_BANNER: ContainerGateBanner = {
  tests: 'these container tests',
  setupHint:
    'run `scripts/setup-components.sh && eval "$(scripts/containers/setup.sh)"` from the repository root as root',
};

/**
 * Probes the engine the way testcontainers finds it (DOCKER_HOST, ~/.testcontainers.properties, sockets) and looks
 * for `image`, which must have been built locally (nothing can be pulled on these machines).
 * `env` is read only for CI (is the test required?) and DOCKER_HOST (named in the reason). `banner` words the
 * warning printed when the engine or image is missing (by default, for the NATS suites).
 */
export async function containerGate(
  image: string,
  env: NodeJS.ProcessEnv = process.env,
  banner: ContainerGateBanner = NATS_BANNER,
): Promise<ContainerGate> {
  const missing = await probeEngine(image, env);
  if (missing === undefined) return { skip: false, unavailable: undefined };
  const required = isCi(env);
  announce(missing, required, banner);
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
function announce(reason: string, required: boolean, banner: ContainerGateBanner): void {
  const line = '!'.repeat(100);
  const tests = `${banner.tests.charAt(0).toUpperCase()}${banner.tests.slice(1)}`;
  const verdict = required
    ? `CI is set: ${banner.tests} are REQUIRED and will FAIL.`
    : `${tests} are SKIPPED on this machine (they are required in CI).`;
  console.error(
    [
      line,
      `!!! CONTAINER ENGINE NOT AVAILABLE: ${reason}`,
      `!!! ${verdict}`,
      `!!! To run them, ${banner.setupHint}.`,
      line,
    ]
      .map((text) => `\n${text}`)
      .join(''),
  );
}
