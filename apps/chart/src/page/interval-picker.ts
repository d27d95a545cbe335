import { CHART_INTERVALS, type ChartInterval } from '../protocol/intervals.js';
import { element } from './format.js';

/** One button per interval; the pressed one is the current interval. */
export class IntervalPicker {
  private readonly buttons = new Map<ChartInterval, HTMLButtonElement>();

  constructor(onPick: (interval: ChartInterval) => void) {
    const nav = element('intervals');
    for (const interval of CHART_INTERVALS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = interval;
      button.dataset.interval = interval;
      button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', () => onPick(interval));
      this.buttons.set(interval, button);
      nav.append(button);
    }
  }

  show(current: ChartInterval): void {
    for (const [interval, button] of this.buttons) button.setAttribute('aria-pressed', String(interval === current));
  }
}
