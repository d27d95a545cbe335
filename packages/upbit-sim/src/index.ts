// Placeholder: this package is built under its own issue. Nothing here works yet.
export {};
