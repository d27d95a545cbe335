export * from './classify.js';
export * from './error-classes.js';
export * from './guards.js';
export * from './market-data-error.js';
