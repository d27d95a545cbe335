import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { FaultableContainer } from './faultable-container.js';
import { freeLoopbackPorts } from './free-port.js';
import { HEALTH_PATH, waitUntilHealthy } from './health.js';

/** Built by scripts/containers/setup.sh from Debian's nats-server binary; no registry is involved. */
export const NATS_IMAGE = 'localhost/nats:dev';
/** Client and monitoring ports inside the container (the image's CMD uses the same). */
export const NATS_CONTAINER_PORT = 4222;
export const NATS_CONTAINER_MONITOR_PORT = 8222;
/** Every container started here carries it, so scripts/containers/cleanup.sh can find ours on a shared engine. */
export const NATS_SUITE_LABEL = { 'marketdata.suite': 'nats-testing' } as const;

const LOOPBACK = '127.0.0.1';
const STARTUP_TIMEOUT_MS = 30_000;
const SERVER_BINARY = '/usr/sbin/nats-server';
// Fixed name: JetStream's store in /data belongs to the same server after a restart of the container.
const SERVER_NAME = 'nats-testing';

export interface NatsContainerOptions {
  /** JetStream (and so KV) on, its store in the container's /data, which survives stop/start and restart.
   * Default true. */
  readonly jetstream?: boolean;
  /** More nats-server options, appended to the command (e.g. `['--max_payload', '65536']`). */
  readonly serverArgs?: readonly string[];
  /** Another locally built image with nats-server at /usr/sbin/nats-server. Default NATS_IMAGE. */
  readonly image?: string;
}

/**
 * A real nats-server (2.9.10: JetStream and KV work; consumers with several filter subjects need 2.10) in a container.
 * `url` and `monitorUrl` stay valid across every fault below: the host ports are picked here and pinned, so a client
 * that reconnects to the same address finds the server again (on podman and on a Docker engine alike).
 */
export interface NatsContainer {
  readonly id: string;
  /** `nats://127.0.0.1:PORT`, for `connect({ servers: url })`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`: the monitoring endpoints (`/healthz`, `/varz`, `/jsz`, `/connz`). */
  readonly monitorUrl: string;
  /** Freezes the server: connections stay open, nothing answers (a network stall). */
  pause(): Promise<void>;
  unpause(): Promise<void>;
  /** Kills the server (SIGKILL, like a crash); the container and its JetStream store are kept for start(). */
  stop(): Promise<void>;
  /** Starts the stopped container again and waits until `/healthz` answers 200. */
  start(): Promise<void>;
  /** Kill + start in one step (a crash and a supervisor bringing it back), waiting as start() does. */
  restart(): Promise<void>;
  /** Removes the container, whatever state it is in. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts nats-server in a container via testcontainers and waits until its `/healthz` answers 200.
 * Needs a container engine and the image (see containerGate); testcontainers' settings come from the environment
 * scripts/containers/setup.sh prints (DOCKER_HOST, TESTCONTAINERS_RYUK_DISABLED, TESTCONTAINERS_HOST_OVERRIDE).
 */
export async function startNatsContainer(options: NatsContainerOptions = {}): Promise<NatsContainer> {
  const [clientPort, monitorPort] = await freeLoopbackPorts(2);
  if (clientPort === undefined || monitorPort === undefined) throw new Error('no free loopback ports');
  const started = await new GenericContainer(options.image ?? NATS_IMAGE)
    .withCommand(natsCommand(options))
    .withExposedPorts(
      { container: NATS_CONTAINER_PORT, host: clientPort },
      { container: NATS_CONTAINER_MONITOR_PORT, host: monitorPort },
    )
    .withLabels(NATS_SUITE_LABEL)
    // Not the default wait (forListeningPorts): it runs /bin/sh in the container, and this image has no shell.
    .withWaitStrategy(Wait.forHttp(HEALTH_PATH, NATS_CONTAINER_MONITOR_PORT).forStatusCode(200).withReadTimeout(500))
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
  return new RunningNatsContainer(started, clientPort, monitorPort);
}

function natsCommand(options: NatsContainerOptions): string[] {
  const jetstream = options.jetstream ?? true;
  return [
    SERVER_BINARY,
    '--port',
    String(NATS_CONTAINER_PORT),
    '--http_port',
    String(NATS_CONTAINER_MONITOR_PORT),
    '--server_name',
    SERVER_NAME,
    ...(jetstream ? ['--jetstream', '--store_dir', '/data'] : []),
    ...(options.serverArgs ?? []),
  ];
}

class RunningNatsContainer extends FaultableContainer implements NatsContainer {
  readonly url: string;
  readonly monitorUrl: string;

  constructor(started: StartedTestContainer, clientPort: number, monitorPort: number) {
    super(started);
    this.url = `nats://${LOOPBACK}:${clientPort}`;
    this.monitorUrl = `http://${LOOPBACK}:${monitorPort}`;
  }

  async start(): Promise<void> {
    await (await this.handle()).start();
    await waitUntilHealthy(this.monitorUrl, STARTUP_TIMEOUT_MS);
  }

  async restart(): Promise<void> {
    // timeout 0: killed at once, then started; testcontainers runs the wait strategy again. Ports are pinned.
    await this.started.restart({ timeout: 0 });
  }
}
