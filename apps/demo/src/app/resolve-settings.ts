import { type BackboneConfig, parseBackboneConfig } from '@marketdata/backbone';
import { type ConfigIssue, isConfigError, type LogLevel, type MarketCode } from '@marketdata/domain';
import type { DemoOptions } from '../cli/parse-args.js';
import type { DemoConfig } from '../config/demo-config.js';
import { loadDemoConfig } from '../config/load-demo-config.js';
import type { DemoRuntime } from './demo-runtime.js';

export interface DemoSettings {
  readonly options: DemoOptions;
  readonly config: DemoConfig;
  readonly backbone: BackboneConfig;
  readonly symbols: readonly MarketCode[] | undefined;
  readonly top: number;
  readonly logLevel: LogLevel;
}

function backboneIssues(raw: Readonly<Record<string, unknown>>): readonly ConfigIssue[] {
  try {
    parseBackboneConfig(raw);
    return [];
  } catch (error) {
    if (isConfigError(error)) return error.issues;
    throw error;
  }
}

/** Config file and environment, then the command line on top; the backbone section through its own schema. */
export async function resolveSettings(options: DemoOptions, runtime: DemoRuntime): Promise<DemoSettings> {
  const config = await loadDemoConfig({
    file: options.configFile,
    env: runtime.env,
    readFile: runtime.readFile,
    checkBackbone: backboneIssues,
  });
  const backbone: BackboneConfig = parseBackboneConfig(config.backbone);
  // --top on the command line beats symbols from the config, and --symbols beats a configured top.
  const symbols = options.top !== undefined ? undefined : (options.symbols ?? config.demo.symbols);
  return {
    options,
    config,
    backbone,
    symbols,
    top: options.top ?? config.demo.top,
    logLevel: options.logLevel ?? config.demo.logLevel,
  };
}
