/**
 * Upbit's wire format for tools below the sources: payload schemas, mappers, frame decoders, the subscription request.
 *
 * @module @marketdata/adapters-upbit/wire
 */
// `@marketdata/adapters-upbit/wire`: Upbit's wire format for tools that work below the sources (benchmarks replaying
// recorded frames, fuzzers, payload inspection): exact JSON parsing, payload schemas, mappers, frame decoders and
// the subscription request. Not needed to use the library; the main entry is the sources.
export * from './rest/wire.js';
export * from './ws/wire.js';
