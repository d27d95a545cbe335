import { access, constants } from 'node:fs/promises';
import { type Browser, chromium } from 'playwright-core';

/** Debian's package `chromium` (installed by scripts/setup-components.sh, with fonts-liberation for text). */
export const CHROMIUM_EXECUTABLE = '/usr/bin/chromium';

/**
 * The flags these machines need. Root needs --no-sandbox; the rest keep Chromium from reaching out (the network is
 * closed here: without them it retries refused connections many at a time and looks up Google's hosts at start).
 * Playwright adds its own on top (among them a fresh temporary --user-data-dir for every launch, removed on close).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchChromiumOptions {
  /** Default CHROMIUM_EXECUTABLE. */
  readonly executablePath?: string;
  /** More Chromium flags, after CHROMIUM_ARGS. A --user-data-dir is refused by Playwright: each launch has a fresh
   * temporary profile anyway. */
  readonly extraArgs?: readonly string[];
  /** Bound on the launch itself. Default 30 s (a loaded 2-core machine can take several seconds). */
  readonly timeoutMs?: number;
}

/**
 * Launches Debian's Chromium headless through playwright-core (pinned to 1.64.1, whose protocol matches Chromium 156
 * as Debian 12 ships it; Playwright's own browser download is unreachable here). Close the browser when done:
 * `await browser.close()`.
 */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? CHROMIUM_EXECUTABLE;
  await access(executablePath, constants.X_OK).catch(() => {
    throw new Error(`${executablePath} is not an executable: install Debian's chromium (scripts/setup-components.sh)`);
  });
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    timeout: options.timeoutMs ?? 30_000,
  });
}
