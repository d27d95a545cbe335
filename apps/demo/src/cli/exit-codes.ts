export const EXIT_OK = 0;
/** Runtime failure: Upbit unreachable, the stream failed, anything unexpected. */
export const EXIT_RUNTIME_FAILURE = 1;
/** Usage error: unknown flag, bad value, bad config file. */
export const EXIT_USAGE = 2;
