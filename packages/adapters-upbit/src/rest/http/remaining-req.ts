/** `Remaining-Req: group=ticker; min=600; sec=9`. `min` is deprecated (always 600); only `sec` is meaningful. */
export interface RemainingReq {
  readonly group: string;
  /** Requests left in the current second for this group. */
  readonly sec: number;
  readonly min: number | undefined;
}

/** Parses the header value; undefined when absent or unreadable (e.g. an unrouted 404 carries none). */
export function parseRemainingReq(header: string | null | undefined): RemainingReq | undefined {
  if (header === null || header === undefined) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const group = fields.get('group');
  const secText = fields.get('sec');
  if (group === undefined || group === '' || secText === undefined || !/^\d+$/.test(secText)) return undefined;
  const minText = fields.get('min');
  return {
    group,
    sec: Number(secText),
    min: minText !== undefined && /^\d+$/.test(minText) ? Number(minText) : undefined,
  };
}
