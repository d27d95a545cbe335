// Where the examples connect: live Upbit by default; the simulator's URLs (`pnpm sim` prints them) through the same
// environment variables the demo reads.
export const endpoints = {
  restUrl: process.env.MARKETDATA_UPBIT_REST_URL ?? 'https://api.upbit.com',
  wsUrl: process.env.MARKETDATA_UPBIT_WS_URL ?? 'wss://api.upbit.com/websocket/v1',
};
