import { readFile } from 'node:fs/promises';
import { createSystemClock, systemRandom } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/app/run-demo.js';
import { ENTER_ALT_SCREEN, HIDE_CURSOR, LEAVE_ALT_SCREEN, SHOW_CURSOR } from '../src/view/ansi.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escape sequences
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** A terminal as the demo sees it: a TTY of 120 x 40 that records everything written to it. */
function fakeTerminal() {
  const writes: string[] = [];
  return {
    writes,
    output: { write: (text: string) => writes.push(text), isTTY: true, columns: 120, rows: 40 },
  };
}

function pipe() {
  const writes: string[] = [];
  return { writes, output: { write: (text: string) => writes.push(text), isTTY: false } };
}

function frames(writes: readonly string[]): string[] {
  return writes.filter((text) => text.includes('\u001b[H')).map((text) => text.replace(ANSI, ''));
}

function start(argv: string[], stdout: ReturnType<typeof fakeTerminal>, stderr: ReturnType<typeof pipe>) {
  const interrupt = new AbortController();
  const exit = runDemo({
    argv,
    env: {},
    stdout: stdout.output,
    stderr: stderr.output,
    clock: createSystemClock(),
    random: systemRandom,
    readFile: (path) => readFile(path, 'utf8'),
    interrupt: interrupt.signal,
    color: true,
  });
  return { exit, interrupt };
}

describe('table mode on a terminal (in process, against the simulator)', () => {
  it('draws a live table in the alternate screen, then restores the terminal and prints the summary', async () => {
    const terminal = fakeTerminal();
    const stderr = pipe();
    const { exit } = start(['--sim', '--top', '4', '--duration-ms', '2500'], terminal, stderr);
    expect(await exit, stderr.writes.join('')).toBe(0);

    expect(terminal.writes[0]?.startsWith(`${ENTER_ALT_SCREEN}${HIDE_CURSOR}`)).toBe(true);
    const leaveAt = terminal.writes.indexOf(`${SHOW_CURSOR}${LEAVE_ALT_SCREEN}`);
    expect(leaveAt).toBeGreaterThan(0);
    const drawn = frames(terminal.writes.slice(0, leaveAt));
    expect(drawn.length).toBeGreaterThan(2);
    const last = drawn[drawn.length - 1] ?? '';
    expect(last).toContain('Upbit market data · SIMULATOR 127.0.0.1:');
    const rows = last.split('\n').filter((line) => /^ KRW-[A-Z0-9]+ /.test(line));
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      // symbol, a price with digits, a signed change %, a source, an age, a quality grade
      expect(row).toMatch(
        /^ KRW-[A-Z0-9]+\s+[\d,.]+\s+[-+ ]\d+\.\d\d%\s+(websocket|rest|cache)\s+\S+\s+(high|medium|low)\s/,
      );
    }
    expect(last).toMatch(/● rest\s+ok/);
    expect(last).toMatch(/● websocket\s+(ok|degraded)/);
    expect(last).toContain('ROUTING DECISIONS & EVENTS');
    expect(last).toMatch(/\d\d:\d\d:\d\d\.\d{3} route\s+(KRW-[A-Z0-9]+ getTicker at|router: )/);

    const after = terminal.writes.slice(leaveAt + 1).join('');
    expect(after).toContain('stopped: --duration-ms 2500 elapsed');
    expect(after).toMatch(/ticks received\s+[1-9]\d*/);
  });

  it('Ctrl-C stops a running table cleanly with exit 0', async () => {
    const terminal = fakeTerminal();
    const stderr = pipe();
    const { exit, interrupt } = start(['--sim', '--top', '3'], terminal, stderr);
    // Wait (bounded) for a frame that shows data, then interrupt.
    for (let i = 0; i < 100 && !frames(terminal.writes).some((frame) => /[1-9]\d* updates/.test(frame)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(frames(terminal.writes).some((frame) => /[1-9]\d* updates/.test(frame))).toBe(true);
    const interruptedAt = performance.now();
    interrupt.abort('Ctrl-C');
    expect(await exit, stderr.writes.join('')).toBe(0);
    console.info(`in-process shutdown after Ctrl-C: ${(performance.now() - interruptedAt).toFixed(0)} ms`);
    expect(terminal.writes).toContain(`${SHOW_CURSOR}${LEAVE_ALT_SCREEN}`);
    expect(terminal.writes.join('')).toContain('stopped: Ctrl-C');
  });
});
