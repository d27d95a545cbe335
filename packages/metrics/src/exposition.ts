/** One sample line of the text exposition format: `name{label="value",...} value`. */
export interface ExpositionSample {
  readonly metricName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A metric family: its `# HELP` and `# TYPE` lines and the samples that follow them. */
export interface ExpositionFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  readonly samples: readonly ExpositionSample[];
}

const TYPES = new Set<string>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/gy;

function unescapeLabel(value: string): string {
  return value.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
}

// Case-insensitive like Prometheus's own reader (prom-client writes `Nan`).
function parseValue(text: string): number {
  const special = text.toLowerCase();
  if (special === '+inf' || special === 'inf') return Number.POSITIVE_INFINITY;
  if (special === '-inf') return Number.NEGATIVE_INFINITY;
  if (special === 'nan') return Number.NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`not a sample value: ${JSON.stringify(text)}`);
  return value;
}

function parseLabels(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  if (text === undefined || text === '') return labels;
  LABEL.lastIndex = 0;
  let consumed = 0;
  for (let match = LABEL.exec(text); match !== null; match = LABEL.exec(text)) {
    labels[match[1] as string] = unescapeLabel(match[2] as string);
    consumed = LABEL.lastIndex;
  }
  if (consumed !== text.length) throw new Error(`bad labels: {${text}}`);
  return labels;
}

function familyOf(metricName: string, families: ReadonlyMap<string, unknown>): string | undefined {
  if (families.has(metricName)) return metricName;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (metricName.endsWith(suffix) && families.has(metricName.slice(0, -suffix.length))) {
      return metricName.slice(0, -suffix.length);
    }
  }
  return undefined;
}

/**
 * Parses the Prometheus text exposition format (0.0.4) as the backbone's `toPrometheus()` writes it: every family
 * announced by `# HELP` and `# TYPE` before its samples. Anything else (a sample of no announced family, a broken
 * line) throws, naming the line: the collector must never pass on a half-understood exposition.
 */
export function parseExposition(text: string): ExpositionFamily[] {
  const families = new Map<string, { help: string; type: ExpositionFamily['type']; samples: ExpositionSample[] }>();
  const helps = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const comment = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (comment !== null) {
      const [, keyword, name, rest] = comment as unknown as [string, 'HELP' | 'TYPE', string, string];
      if (keyword === 'HELP') helps.set(name, rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\'));
      else if (!TYPES.has(rest)) throw new Error(`unknown metric type in: ${line}`);
      else families.set(name, { help: helps.get(name) ?? '', type: rest as ExpositionFamily['type'], samples: [] });
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = SAMPLE.exec(line);
    if (sample === null) throw new Error(`not a sample line: ${line}`);
    const [, metricName, labelText, valueText] = sample as unknown as [string, string, string | undefined, string];
    const family = familyOf(metricName, families);
    if (family === undefined) throw new Error(`a sample of no announced family: ${line}`);
    families.get(family)?.samples.push({ metricName, labels: parseLabels(labelText), value: parseValue(valueText) });
  }
  return [...families].map(([name, family]) => ({ name, ...family }));
}
