import { type Clock, ConfigError, type ConfigIssue, type Logger } from '@marketdata/domain';
import { GroupPacer } from './group-pacer.js';
import type { RestRateLimitOptions } from './rate-limit-options.js';
import { UPBIT_REST_GROUPS, type UpbitRestGroup } from './rest-group.js';

/** One client's hold on its host's budget. `release()` when the client closes; the last release frees the pacers. */
export interface RestBudgetLease {
  pacer(group: UpbitRestGroup): GroupPacer;
  release(): void;
}

interface HostBudget {
  readonly clock: Clock;
  readonly limits: RestRateLimitOptions;
  readonly pacers: Readonly<Record<UpbitRestGroup, GroupPacer>>;
  leases: number;
}

export interface LeaseRequest {
  /** `https://api.upbit.com`: Upbit counts per IP, so one budget per origin. */
  readonly origin: string;
  readonly clock: Clock;
  readonly limits: RestRateLimitOptions;
  /** Used for the pacers' logs when this lease creates the host's budget. */
  readonly logger: Logger;
}

/**
 * The REST budgets of a process: one pacer per Upbit group per origin, shared by every client that talks to that
 * origin (two sources in one process each pacing alone drew 429s: Upbit counts per IP, not per client). A budget
 * exists while at least one client holds a lease on it, so a process that closes every client holds no timer.
 *
 * The budget is a property of the host, so every client sharing it must agree on the rate-limit settings and run
 * on the same clock (one budget cannot be measured on two clocks); a client that does not is refused with a
 * `ConfigError` instead of silently pacing with someone else's numbers. The pacers log through the logger of the
 * client that created the budget.
 */
export class RestBudgets {
  private readonly hosts = new Map<string, HostBudget>();

  /** A client's share of its origin's budget (created on first use); release it when the client closes. */
  lease(request: LeaseRequest): RestBudgetLease {
    const host = this.hosts.get(request.origin) ?? this.create(request);
    const conflicts = conflictsWith(host, request);
    if (conflicts.length > 0) throw new ConfigError(conflicts);
    host.leases++;
    let released = false;
    return {
      pacer: (group) => host.pacers[group],
      release: () => {
        if (released) return;
        released = true;
        host.leases--;
        if (host.leases > 0 || this.hosts.get(request.origin) !== host) return;
        this.hosts.delete(request.origin);
        for (const pacer of Object.values(host.pacers)) pacer.close();
      },
    };
  }

  /** Origins with a live budget (for health reports and tests). */
  origins(): readonly string[] {
    return [...this.hosts.keys()];
  }

  private create(request: LeaseRequest): HostBudget {
    const pacers = {} as Record<UpbitRestGroup, GroupPacer>;
    for (const group of UPBIT_REST_GROUPS) {
      pacers[group] = new GroupPacer(
        group,
        request.limits,
        request.clock,
        request.logger.child({ group, origin: request.origin }),
      );
    }
    const host: HostBudget = { clock: request.clock, limits: request.limits, pacers, leases: 0 };
    this.hosts.set(request.origin, host);
    return host;
  }
}

function conflictsWith(host: HostBudget, request: LeaseRequest): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const shared = `the REST budget of ${request.origin} is shared by every client of this process`;
  if (host.clock !== request.clock) {
    issues.push({ path: 'clock', message: `${shared} and runs on another clock; use the same clock or close them` });
  }
  for (const key of Object.keys(host.limits) as (keyof RestRateLimitOptions)[]) {
    if (host.limits[key] !== request.limits[key]) {
      issues.push({
        path: `rateLimit.${key}`,
        message: `${shared}, which uses ${host.limits[key]}; every client of a host must use the same value`,
        value: request.limits[key],
      });
    }
  }
  return issues;
}

/** A private set of budgets (tests, or a process that deliberately paces a host apart). */
export function createRestBudgets(): RestBudgets {
  return new RestBudgets();
}

/** The budgets of this process: the default of every client. */
export const processRestBudgets: RestBudgets = new RestBudgets();
