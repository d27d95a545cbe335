import { describe, expect, it } from 'vitest';
import {
  CLEAR_LINE_END,
  CLEAR_SCREEN_BELOW,
  CURSOR_HOME,
  ENTER_ALT_SCREEN,
  HIDE_CURSOR,
  LEAVE_ALT_SCREEN,
  SHOW_CURSOR,
} from '../src/view/ansi.js';
import { createTerminalScreen } from '../src/view/terminal-screen.js';

function capture() {
  const writes: string[] = [];
  return { writes, output: { write: (text: string) => writes.push(text) } };
}

describe('createTerminalScreen', () => {
  it('redraws in place in the alternate screen and restores the terminal once', () => {
    const { writes, output } = capture();
    const screen = createTerminalScreen(output, { ansi: true, rows: () => 3 });
    screen.draw(['a', 'b', 'c', 'd']);
    screen.draw(['e']);
    screen.close();
    screen.close();
    screen.draw(['after close']);
    expect(writes).toEqual([
      `${ENTER_ALT_SCREEN}${HIDE_CURSOR}${CURSOR_HOME}a${CLEAR_LINE_END}\nb${CLEAR_LINE_END}${CLEAR_SCREEN_BELOW}`,
      `${CURSOR_HOME}e${CLEAR_LINE_END}${CLEAR_SCREEN_BELOW}`,
      `${SHOW_CURSOR}${LEAVE_ALT_SCREEN}`,
    ]);
  });

  it('prints plain snapshots without escape codes when not on a terminal', () => {
    const { writes, output } = capture();
    const screen = createTerminalScreen(output, { ansi: false, rows: () => undefined });
    screen.draw(['a', 'b']);
    screen.close();
    expect(writes).toEqual(['a\nb\n\n']);
  });
});
