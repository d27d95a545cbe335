// @marketdata/nats: one Upbit budget for a whole fleet, through NATS.
//   - the subject scheme and the wire format (JSON, `v: 1`), both ways
//   - the gateway's publishing core (`createFleetGateway`): demand leases in, streams out (live + KV), request/reply
//   - the consumer's sources (`createFleetSources`): the domain ports over the gateway, for `createMarketData`
// It imports the domain only (and the NATS clients): the Upbit adapters are wired in by apps/gateway.

export { DemandLeases, type DemandLeasesOptions, type FeedKey } from './gateway/demand-leases.js';
export { createFleetGateway, type FleetGateway, type FleetGatewayOptions } from './gateway/fleet-gateway.js';
export type { GatewayHealthReport } from './gateway/gateway-health.js';
export type { LatestStorage } from './gateway/latest-bucket.js';
export type { GatewayRestPort, RpcCounters } from './gateway/rpc-server.js';
export type { RelayCounters } from './gateway/stream-relay.js';
export {
  createFleetSources,
  DEFAULT_FLEET_SETTINGS,
  type FleetSources,
  type FleetSourcesOptions,
} from './source/create-fleet-sources.js';
export type { ConnectFunction } from './source/fleet-connection.js';
export type { FleetMarketDirectory } from './source/fleet-directory.js';
export type { FleetRestSettings, FleetRestSource } from './source/fleet-rest-source.js';
export type {
  FleetStreamingDiagnostics,
  FleetStreamingSettings,
  FleetStreamingSource,
} from './source/fleet-streaming-source.js';
export {
  DEFAULT_SUBJECT_PREFIX,
  type FleetSubjects,
  fleetSubjects,
  RPC_METHODS,
  type RpcMethod,
  STATE_KINDS,
  STREAM_KINDS,
} from './subjects.js';
export { errorIn, errorOut, type WireError } from './wire/errors.js';
export { decodeJsonObject, Fields, WIRE_VERSION } from './wire/fields.js';
export {
  type DataMessage,
  type DemandAnnouncement,
  type DemandFeeds,
  decodeDataMessage,
  decodeDemand,
  decodeGapReport,
  decodeHeartbeat,
  encodeDemand,
  encodeGapReport,
  encodeHeartbeat,
  encodeRecordMessage,
  encodeRefusalMessage,
  type GapReport,
  type Heartbeat,
} from './wire/messages.js';
export {
  decodeReply,
  decodeRequest,
  encodeReply,
  encodeRequest,
  type RpcReply,
  type RpcRequests,
  type RpcValues,
} from './wire/rpc.js';
