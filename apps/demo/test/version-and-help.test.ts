import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { HELP_TEXT } from '../src/cli/help-text.js';
import { DEMO_VERSION } from '../src/version.js';
import { runCli } from './support/run-cli.js';

describe('demo --version', () => {
  it('prints the package version alone on stdout and exits 0', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(DEMO_VERSION).toBe(version);
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('the help examples', () => {
  const examples = HELP_TEXT.slice(HELP_TEXT.indexOf('\nExamples'))
    .split('\n')
    .filter((line) => /^\s+pnpm /.test(line));

  it('are there', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it('use pnpm -s wherever stdout is read (a pipe or a printed value), so pnpm adds nothing to it', () => {
    for (const line of examples) {
      const command = line.trim().split(/\s{2,}/)[0] ?? '';
      if (command.includes('|') || command.includes('--version')) expect(command, line).toMatch(/^pnpm -s demo /);
    }
  });

  it('name only options the demo has', () => {
    for (const line of examples) {
      for (const flag of line.match(/--[a-z-]+/g) ?? []) expect(HELP_TEXT, flag).toContain(`  ${flag}`);
    }
  });
});
