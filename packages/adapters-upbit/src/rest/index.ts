// REST adapter (issue 5). Placeholder until built.
export {};
