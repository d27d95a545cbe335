import type { ConsoleMessage, Page, Request } from 'playwright-core';

/** Something a page reported that a test of it should not ignore. */
export interface ConsoleProblem {
  /** `console.error(...)` in the page, an uncaught exception (`pageerror`), or a request that failed. */
  readonly kind: 'console-error' | 'page-error' | 'request-failed';
  readonly text: string;
  /** Where it came from: the script location for console errors, the URL for failed requests. */
  readonly location: string;
}

export interface ConsoleProblems {
  /** Everything reported since collection started, in order (a live view: read it after the page settled). */
  readonly problems: readonly ConsoleProblem[];
  /** Stops collecting. */
  dispose(): void;
}

/**
 * Collects a page's console errors, uncaught exceptions and failed requests from now on. Attach it before
 * `page.goto()` to see what happens while the page loads; `expect(collector.problems).toEqual([])` at the end.
 */
export function collectConsoleProblems(page: Page): ConsoleProblems {
  const problems: ConsoleProblem[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const { url, lineNumber, columnNumber } = message.location();
    problems.push({ kind: 'console-error', text: message.text(), location: `${url}:${lineNumber}:${columnNumber}` });
  };
  const onPageError = (error: Error) => {
    problems.push({ kind: 'page-error', text: `${error.name}: ${error.message}`, location: page.url() });
  };
  const onRequestFailed = (request: Request) => {
    problems.push({
      kind: 'request-failed',
      text: request.failure()?.errorText ?? 'failed',
      location: request.url(),
    });
  };
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  page.on('requestfailed', onRequestFailed);
  return {
    problems,
    dispose() {
      page.off('console', onConsole);
      page.off('pageerror', onPageError);
      page.off('requestfailed', onRequestFailed);
    },
  };
}
