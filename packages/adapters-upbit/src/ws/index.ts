// WebSocket adapter (issue 6). Placeholder until built.
export {};
