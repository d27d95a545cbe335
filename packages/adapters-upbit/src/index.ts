export * from './rest/index.js';
export * from './ws/index.js';
