// Placeholder: built under its own issue. Nothing here works yet.
console.error('bench: not implemented yet');
process.exitCode = 1;
