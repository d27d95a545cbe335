import { isConfigError } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { createFleetSources, type FleetSourcesOptions } from '../src/source/create-fleet-sources.js';

describe('createFleetSources', () => {
  it('refuses bad settings up front, every problem in one ConfigError, before connecting anywhere', () => {
    let connects = 0;
    const options = {
      natsUrl: '',
      lingerMs: -1,
      leaseMs: Number.NaN,
      subjectPrefix: 'md.*',
      bogus: true,
      connect: async () => {
        connects++;
        throw new Error('never');
      },
    } as unknown as FleetSourcesOptions;
    let thrown: unknown;
    try {
      createFleetSources(options);
    } catch (error) {
      thrown = error;
    }
    expect(isConfigError(thrown)).toBe(true);
    const paths = (thrown as { issues: { path: string }[] }).issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(['bogus', 'leaseMs', 'lingerMs', 'natsUrl', 'subjectPrefix']);
    expect(connects).toBe(0);
  });
});
