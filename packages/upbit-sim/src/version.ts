/** The simulator's version (`--version`), kept equal to package.json's by a test. */
export const SIM_VERSION = '0.1.0';
