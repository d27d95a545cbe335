import { getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';

/** What a container's engine handle is used for here (dockerode's `Container`, as testcontainers hands it out). */
export interface ContainerHandle {
  pause(): Promise<unknown>;
  unpause(): Promise<unknown>;
  stop(options: { readonly t: number }): Promise<unknown>;
  start(): Promise<unknown>;
  remove(options: { readonly force: boolean; readonly v: boolean }): Promise<unknown>;
  inspect(): Promise<{
    readonly NetworkSettings: {
      readonly Ports: Readonly<Record<string, readonly { readonly HostPort: string }[] | null>>;
    };
  }>;
}

/**
 * The faults every container gives for free, on one started by testcontainers: pause (a network stall: sockets stay
 * open, nothing answers), stop (a crash: SIGKILL, the container kept for a later start) and removal. A subclass adds
 * `start()` and `restart()` with its own readiness check.
 */
export abstract class FaultableContainer {
  readonly id: string;
  private paused = false;
  private closed = false;

  protected constructor(protected readonly started: StartedTestContainer) {
    this.id = started.getId();
  }

  async pause(): Promise<void> {
    // testcontainers 11 has no pause() on a started container; the runtime client's Docker API has.
    await (await this.handle()).pause();
    this.paused = true;
  }

  async unpause(): Promise<void> {
    await (await this.handle()).unpause();
    this.paused = false;
  }

  async stop(): Promise<void> {
    // StartedTestContainer.stop() would also remove the container; the Docker API's stop keeps it for start().
    await (await this.handle()).stop({ t: 0 });
  }

  /** Removes the container, whatever state it is in. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const handle = await this.handle();
    if (this.paused) await handle.unpause().catch(() => undefined);
    await handle.remove({ force: true, v: true });
  }

  protected async handle(): Promise<ContainerHandle> {
    return (await getContainerRuntimeClient()).container.getById(this.id);
  }
}
