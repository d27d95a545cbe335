import {
  CLEAR_LINE_END,
  CLEAR_SCREEN_BELOW,
  CURSOR_HOME,
  ENTER_ALT_SCREEN,
  HIDE_CURSOR,
  LEAVE_ALT_SCREEN,
  SHOW_CURSOR,
} from './ansi.js';

export interface ScreenOutput {
  write(text: string): unknown;
}

export interface TerminalScreen {
  /** Replaces what is on screen (ANSI) or prints a snapshot (plain output). */
  draw(lines: readonly string[]): void;
  /** Restores the terminal (cursor, normal screen). Idempotent. */
  close(): void;
}

/**
 * ANSI mode draws in the alternate screen and redraws in place (cursor home, each line cleared to its end), so
 * the table does not scroll and the normal screen is back untouched on exit. Plain mode prints snapshots.
 */
export function createTerminalScreen(
  output: ScreenOutput,
  options: { readonly ansi: boolean; readonly rows: () => number | undefined },
): TerminalScreen {
  let entered = false;
  let closed = false;
  return {
    draw(lines) {
      if (closed) return;
      const rows = options.rows();
      const visible = rows === undefined ? lines : lines.slice(0, Math.max(1, rows - 1));
      if (!options.ansi) {
        output.write(`${visible.join('\n')}\n\n`);
        return;
      }
      const prefix = entered ? '' : `${ENTER_ALT_SCREEN}${HIDE_CURSOR}`;
      entered = true;
      output.write(
        `${prefix}${CURSOR_HOME}${visible.map((line) => line + CLEAR_LINE_END).join('\n')}${CLEAR_SCREEN_BELOW}`,
      );
    },
    close() {
      if (closed) return;
      closed = true;
      if (entered) output.write(`${SHOW_CURSOR}${LEAVE_ALT_SCREEN}`);
    },
  };
}
