export { type ContainerGate, type ContainerGateBanner, containerGate } from './container-gate.js';
export { type ContainerHandle, FaultableContainer } from './faultable-container.js';
export { freeLoopbackPorts } from './free-port.js';
export {
  NATS_CONTAINER_MONITOR_PORT,
  NATS_CONTAINER_PORT,
  NATS_IMAGE,
  NATS_SUITE_LABEL,
  type NatsContainer,
  type NatsContainerOptions,
  startNatsContainer,
} from './nats-container.js';
export { NATS_SERVER_BINARY, type NatsProcess, type NatsProcessOptions, startNatsProcess } from './nats-process.js';
