export type Color = 'red' | 'green' | 'yellow' | 'blue' | 'cyan' | 'gray' | 'bold';

const CODES: Readonly<Record<Color, readonly [number, number]>> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  cyan: [36, 39],
  gray: [90, 39],
  bold: [1, 22],
};

export interface Painter {
  paint(color: Color | undefined, text: string): string;
}

export function createPainter(enabled: boolean): Painter {
  return {
    paint(color, text) {
      if (!enabled || color === undefined || text === '') return text;
      const [open, close] = CODES[color];
      return `\u001b[${open}m${text}\u001b[${close}m`;
    },
  };
}

export const CURSOR_HOME = '\u001b[H';
export const CLEAR_LINE_END = '\u001b[K';
export const CLEAR_SCREEN_BELOW = '\u001b[J';
export const HIDE_CURSOR = '\u001b[?25l';
export const SHOW_CURSOR = '\u001b[?25h';
export const ENTER_ALT_SCREEN = '\u001b[?1049h';
export const LEAVE_ALT_SCREEN = '\u001b[?1049l';

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point
const ESCAPE_SEQUENCE = /\u001b\[[0-9;?]*[A-Za-z]/y;

/** Printable length of a line, ignoring ANSI escape sequences. */
export function visibleLength(line: string): number {
  return clipAnsi(line, Number.POSITIVE_INFINITY).visible;
}

/** Cuts a line to `width` printable characters, keeping escape sequences intact and resetting colour if cut. */
export function clipAnsi(line: string, width: number): { readonly text: string; readonly visible: number } {
  let visible = 0;
  let index = 0;
  let sawEscape = false;
  while (index < line.length) {
    ESCAPE_SEQUENCE.lastIndex = index;
    const sequence = ESCAPE_SEQUENCE.exec(line);
    if (sequence !== null) {
      index += sequence[0].length;
      sawEscape = true;
      continue;
    }
    if (visible === width) return { text: `${line.slice(0, index)}${sawEscape ? '\u001b[0m' : ''}`, visible };
    visible++;
    index++;
  }
  return { text: line, visible };
}
