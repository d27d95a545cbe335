// Placeholder: the simulator CLI is built under its own issue.
console.error('upbit-sim: not implemented yet');
process.exitCode = 1;
