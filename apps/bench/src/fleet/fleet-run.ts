import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  type Clock,
  createSystemClock,
  type MarketCode,
  type StreamingSource,
  type StreamKind,
  type StreamListener,
} from '@marketdata/domain';
import { ComponentMissing } from '../clients/ours.js';
import { wallNowMs, withDeadline } from '../system-clock.js';
import type { FleetChildReply, FleetChildRequest } from './fleet-protocol.js';

const FLEET_CHILD = fileURLToPath(new URL('./fleet-child.js', import.meta.url));

type NatsModule = typeof import('@marketdata/nats');
type AdaptersModule = typeof import('@marketdata/adapters-upbit');
type TransportModule = typeof import('@nats-io/transport-node');
type NatsTestingModule = typeof import('@marketdata/nats-testing');

async function load<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    throw new ComponentMissing(`cannot import ${name}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** One fleet child process, steered step by step over IPC. */
export class FleetChild {
  private readonly replies: FleetChildReply[] = [];
  private readonly waiting = new Set<() => void>();
  private exitReason: string | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: FleetChildReply) => {
      this.replies.push(reply);
      for (const wake of [...this.waiting]) wake();
    });
    child.once('exit', (code, signal) => {
      this.exitReason = `fleet child exited (${code ?? signal})`;
      for (const wake of [...this.waiting]) wake();
    });
  }

  static spawn(): FleetChild {
    // The child's stdout is our stderr (fd 2): nothing it prints may reach the table.
    return new FleetChild(fork(FLEET_CHILD, [], { stdio: ['ignore', 2, 'inherit', 'ipc'] }));
  }

  send(request: FleetChildRequest): void {
    this.child.send(request);
  }

  /** Sends `request` and waits for the reply `op` (an `error` reply rejects, "not built" as ComponentMissing). */
  async request<K extends FleetChildReply['op']>(
    request: FleetChildRequest,
    op: K,
    timeoutMs: number,
  ): Promise<Extract<FleetChildReply, { op: K }>> {
    this.send(request);
    const reply = await withDeadline(this.next(), timeoutMs, `fleet child (${request.op})`);
    if (reply.op === 'error') throw reply.notBuilt ? new ComponentMissing(reply.error) : new Error(reply.error);
    if (reply.op !== op) throw new Error(`fleet child answered ${reply.op} to ${request.op}`);
    return reply as Extract<FleetChildReply, { op: K }>;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private async next(): Promise<FleetChildReply> {
    for (;;) {
      const reply = this.replies.shift();
      if (reply !== undefined) return reply;
      if (this.exitReason !== undefined) throw new Error(this.exitReason);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.waiting.delete(wake);
          resolve();
        };
        this.waiting.add(wake);
      });
    }
  }
}

/** nats-server as a plain process (Debian's, JetStream on), for the fleet rows. */
export async function startNatsServer(): Promise<{ readonly url: string; stop(): Promise<void> }> {
  const testing = await load<NatsTestingModule>('@marketdata/nats-testing');
  return testing.startNatsProcess();
}

export interface BenchGateway {
  /** From now on, count the records the gateway gets from Upbit with `receivedAt` in [fromMs, toMs). */
  openWindow(fromMs: number, toMs: number): void;
  /** Records counted in the window: each is published once, to every consumer listening. */
  windowCount(): number;
  close(): Promise<void>;
}

/** Wraps `listen` of the gateway's streaming source to count what the gateway relays, by receive time. */
function countingSource(source: StreamingSource, inWindow: (receivedAt: number) => void): StreamingSource {
  return new Proxy(source, {
    get(target, property, receiver) {
      if (property !== 'listen') return Reflect.get(target, property, receiver);
      return <K extends StreamKind>(kind: K, symbols: readonly MarketCode[], listener: StreamListener<K>) =>
        target.listen(kind, symbols, {
          ...listener,
          onRecord: (record) => {
            inWindow(record.receivedAt);
            listener.onRecord(record);
          },
        });
    },
  });
}

/**
 * The real clock, with a wall clock of sub-millisecond resolution: the gateway's Upbit adapter stamps `receivedAt` with
 * it, and consumer processes read the same machine clock the same way (bench `wallNowMs`).
 */
function fineClock(): Clock {
  return { ...createSystemClock(), now: wallNowMs };
}

/** The fleet gateway's core over our Upbit adapters, in this process, serving the simulator's markets through NATS. */
export async function startBenchGateway(natsUrl: string, restUrl: string, wsUrl: string): Promise<BenchGateway> {
  const nats = await load<NatsModule>('@marketdata/nats');
  const adapters = await load<AdaptersModule>('@marketdata/adapters-upbit');
  const transport = await load<TransportModule>('@nats-io/transport-node');
  const clock = fineClock();
  const rest = adapters.createUpbitRestSource({ url: restUrl, clock });
  const websocket = adapters.createUpbitWebSocketSource({ url: wsUrl, clock });
  const connection = await transport.connect({ servers: natsUrl, maxReconnectAttempts: -1 });
  let window: { readonly fromMs: number; readonly toMs: number } | undefined;
  let counted = 0;
  const streaming = countingSource(websocket, (receivedAt) => {
    if (window !== undefined && receivedAt >= window.fromMs && receivedAt < window.toMs) counted++;
  });
  const gateway = nats.createFleetGateway({ nats: connection, streaming, rest, clock });
  await gateway.start();
  return {
    openWindow(fromMs, toMs) {
      window = { fromMs, toMs };
      counted = 0;
    },
    windowCount: () => counted,
    async close() {
      await gateway.close();
      await connection.close();
      await websocket.close();
      await rest.close();
    },
  };
}
