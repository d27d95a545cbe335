import { type ContainerHandle, FaultableContainer, freeLoopbackPorts } from '@marketdata/nats-testing';
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { waitUntilServed } from './http-probe.js';

/** Built by scripts/containers/setup.sh from a local root filesystem; no registry is involved. */
export const SIM_IMAGE = 'localhost/upbit-sim:dev';
/** The ports the image's CMD gives the simulator inside the container (REST + WebSocket share one, as on Upbit). */
export const SIM_PORT = 8080;
export const SIM_ADMIN_PORT = 8081;
/** Every container of this suite carries it, so scripts/containers/cleanup.sh can remove only ours on Docker. */
export const SUITE_LABEL = { 'marketdata.suite': 'reliability' } as const;

// Tests only ever talk to loopback (the engine publishes the ports on all interfaces).
const LOOPBACK = '127.0.0.1';
// The simulator's admin port answers {"status":"ok","listening":true} once REST + WebSocket accept connections.
const HEALTH_PATH = '/health';
function reportsListening(body: string): boolean {
  try {
    return (JSON.parse(body) as { listening?: unknown }).listening === true;
  } catch {
    return false;
  }
}
const STARTUP_TIMEOUT_MS = 30_000;

/** The simulator running in a container, and the faults a container gives for free. URLs follow the current port
 * mapping: it is re-read after start() and restart() (a Docker engine may pick new host ports then). */
export interface SimContainer {
  readonly id: string;
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly adminUrl: string;
  /** Freezes every process in the container: sockets stay open, nothing answers (a network stall). */
  pause(): Promise<void>;
  unpause(): Promise<void>;
  /** Kills the simulator (SIGKILL, like a crash); the container is kept, new connections are refused. */
  stop(): Promise<void>;
  /** Starts the stopped container again and waits until the admin /health reports the simulator listening. */
  start(): Promise<void>;
  /** Kill + start in one step, waiting as start() does. */
  restart(): Promise<void>;
  /** Removes the container, whatever state it is in. Safe to call twice. */
  close(): Promise<void>;
}

interface HostPorts {
  readonly rest: number;
  readonly admin: number;
}

/** The image's CMD (scripts/containers/setup.sh), repeated here to append CLI options to it. */
const SIM_COMMAND = [
  '/usr/local/bin/node',
  '/app/sim.js',
  '--host',
  '0.0.0.0',
  '--port',
  String(SIM_PORT),
  '--admin-port',
  String(SIM_ADMIN_PORT),
] as const;

export interface SimContainerOptions {
  /** More simulator CLI options (e.g. a seed, a market list), after the host and ports the image sets. */
  readonly extraArgs?: readonly string[];
  /**
   * Publish on host ports picked here instead of letting the engine choose. Podman keeps a container's ports across
   * stop/start and restart, but a Docker engine may give it new ones then; a client that reconnects (the adapters)
   * keeps its address, so tests of reconnects pin the ports to run unchanged on either engine.
   */
  readonly pinHostPorts?: boolean;
}

export async function startSimContainer(options: SimContainerOptions = {}): Promise<SimContainer> {
  let container = new GenericContainer(SIM_IMAGE);
  if (options.extraArgs !== undefined) container = container.withCommand([...SIM_COMMAND, ...options.extraArgs]);
  const [restHost, adminHost] = options.pinHostPorts === true ? await freeLoopbackPorts(2) : [];
  const started = await container
    .withExposedPorts(
      restHost === undefined ? SIM_PORT : { container: SIM_PORT, host: restHost },
      adminHost === undefined ? SIM_ADMIN_PORT : { container: SIM_ADMIN_PORT, host: adminHost },
    )
    .withLabels(SUITE_LABEL)
    // Not the default (forListeningPorts): it runs /bin/sh in the container, and this image has no shell.
    .withWaitStrategy(
      Wait.forHttp(HEALTH_PATH, SIM_ADMIN_PORT).forResponsePredicate(reportsListening).withReadTimeout(200),
    )
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
  return new RunningSimContainer(started);
}

class RunningSimContainer extends FaultableContainer implements SimContainer {
  private ports: HostPorts;

  constructor(started: StartedTestContainer) {
    super(started);
    this.ports = { rest: started.getMappedPort(SIM_PORT), admin: started.getMappedPort(SIM_ADMIN_PORT) };
  }

  get restUrl(): string {
    return `http://${LOOPBACK}:${this.ports.rest}`;
  }

  get wsUrl(): string {
    return `ws://${LOOPBACK}:${this.ports.rest}/websocket/v1`;
  }

  get adminUrl(): string {
    return `http://${LOOPBACK}:${this.ports.admin}`;
  }

  async start(): Promise<void> {
    const handle = await this.handle();
    await handle.start();
    this.ports = await readHostPorts(handle);
    const health = await waitUntilServed(`${this.adminUrl}${HEALTH_PATH}`, STARTUP_TIMEOUT_MS, reportsListening);
    if (health.kind !== 'response' || !reportsListening(health.body)) {
      throw new Error(`simulator container ${this.id} did not serve ${HEALTH_PATH} after start: ${health.kind}`);
    }
  }

  async restart(): Promise<void> {
    // timeout 0: killed at once, then started; testcontainers re-reads the ports and runs the wait strategy.
    await this.started.restart({ timeout: 0 });
    this.ports = { rest: this.started.getMappedPort(SIM_PORT), admin: this.started.getMappedPort(SIM_ADMIN_PORT) };
  }
}

async function readHostPorts(handle: Pick<ContainerHandle, 'inspect'>): Promise<HostPorts> {
  const ports = (await handle.inspect()).NetworkSettings.Ports;
  return { rest: hostPort(ports, SIM_PORT), admin: hostPort(ports, SIM_ADMIN_PORT) };
}

type PublishedPorts = Awaited<ReturnType<ContainerHandle['inspect']>>['NetworkSettings']['Ports'];

function hostPort(ports: PublishedPorts, containerPort: number): number {
  const binding = ports[`${containerPort}/tcp`]?.[0];
  if (binding === undefined) throw new Error(`container port ${containerPort} is not published`);
  return Number(binding.HostPort);
}
