import { isDataValidationError } from '@marketdata/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BadCase, CATEGORIES, categoryArbitrary } from './support/bad-payloads.js';
import { BAD_PAYLOADS_PER_KIND, NOISE_RUNS, RUNS_PER_CATEGORY, seedFor } from './support/fuzz-settings.js';
import { harmlessNoise } from './support/harmless-noise.js';
import { utf8Bytes } from './support/json-text.js';
import { type PayloadKind, REST_KINDS, type RestKindId } from './support/payload-kinds.js';
import { decodeRestBody } from './support/rest-decoders.js';
import { problemWith } from './support/usable-values.js';

/**
 * In process: 10,000 generated bad bodies per REST payload kind through the adapter's REST decode path (the body
 * decoding of `Response.text()`, `parseJsonExact`, the endpoint's valibot schema, the domain mapper). The same
 * bodies through the real client and source (injected fetch) are in `rest-source-end-to-end.test.ts`.
 */
function errorText(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message.slice(0, 300)}` : String(error);
}

function checkBadBody(kind: PayloadKind, bad: BadCase): void {
  let values: readonly object[];
  try {
    values = decodeRestBody(kind.kind as RestKindId, bad.bytes);
  } catch (error) {
    if (!isDataValidationError(error)) throw new Error(`refused with an untyped error: ${errorText(error)}`);
    if (error.channel !== 'rest') throw new Error(`DataValidationError without channel 'rest': ${error.message}`);
    if (!error.path.startsWith('$')) throw new Error(`DataValidationError path ${error.path} is not a JSON path`);
    return;
  }
  if (bad.mustFail) throw new Error(`accepted a bad body as ${JSON.stringify(values).slice(0, 300)}`);
  const problem = problemWith(values);
  if (problem !== undefined) throw new Error(`accepted a body into unusable values: ${problem}`);
}

describe.each(Object.values(REST_KINDS))(
  '$title, in process: bad bodies are refused with DataValidationError',
  (kind) => {
    it(`the recorded body decodes; the categories below add up to ${BAD_PAYLOADS_PER_KIND.toLocaleString('en')} bad bodies`, () => {
      expect(BAD_PAYLOADS_PER_KIND).toBeGreaterThanOrEqual(10_000);
      expect(decodeRestBody(kind.kind as RestKindId, utf8Bytes(kind.text)).length).toBeGreaterThan(0);
    });

    it.each(CATEGORIES.map((category) => [category, RUNS_PER_CATEGORY[category]] as const))(
      '%s: %i generated bodies',
      (category, runs) => {
        fc.assert(
          fc.property(categoryArbitrary(kind, category), (bad) => checkBadBody(kind, bad)),
          { numRuns: runs, seed: seedFor(`${kind.title}/${category}`) },
        );
      },
    );

    it(`good data is kept: ${NOISE_RUNS} recorded bodies with unknown fields, re-spelt numbers and reordered keys decode unchanged`, () => {
      const original = decodeRestBody(kind.kind as RestKindId, utf8Bytes(kind.text));
      fc.assert(
        fc.property(harmlessNoise(kind), (noisy) => {
          expect(decodeRestBody(kind.kind as RestKindId, noisy.bytes)).toEqual(original);
        }),
        { numRuns: NOISE_RUNS, seed: seedFor(`${kind.title}/noise`) },
      );
    });
  },
);
