export const EXIT_OK = 0;
/** Runtime failure: NATS unreachable or without JetStream, the simulator did not start, anything unexpected. */
export const EXIT_RUNTIME_FAILURE = 1;
/** Usage error: unknown flag, bad value. */
export const EXIT_USAGE = 2;
