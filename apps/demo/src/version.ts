/** The demo's version (`--version`), kept equal to package.json's by a test. */
export const DEMO_VERSION = '0.1.0';
