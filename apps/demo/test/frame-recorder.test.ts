import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '@marketdata/domain/testing';
import { fixtureText } from '@marketdata/fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFrameRecorder, type RecordedFrame } from '../src/record/frame-recorder.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-record-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openFrameRecorder', () => {
  it('writes one {"t", "frame"} line per frame, keeping the raw text byte for byte', async () => {
    const clock = new FakeClock({ now: 1_753_894_995_113 });
    const path = join(dir, 'frames.jsonl');
    const recorder = await openFrameRecorder(path, { clock });
    // Recorded real frames: number spelling (e.g. 1.16539E8) and big sequential ids must survive untouched.
    const frames = [fixtureText('ws-ticker-default.json').trim(), fixtureText('ws-trade-default-2021.json').trim()];
    recorder.record(frames[0] ?? '');
    clock.advance(250);
    recorder.record(frames[1] ?? '');
    await recorder.close();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    const parsed = lines.map((line) => JSON.parse(line) as RecordedFrame);
    expect(parsed).toEqual([
      { t: 1_753_894_995_113, frame: frames[0] },
      { t: 1_753_894_995_363, frame: frames[1] },
    ]);
    expect(recorder.recorded).toBe(2);
    expect(recorder.dropped).toBe(0);
  });

  it('counts frames after close as dropped instead of throwing', async () => {
    const recorder = await openFrameRecorder(join(dir, 'late.jsonl'), { clock: new FakeClock() });
    await recorder.close();
    recorder.record('{"late":true}');
    expect(recorder.dropped).toBe(1);
    await expect(recorder.close()).resolves.toBeUndefined();
  });

  it('rejects at once when the file cannot be created', async () => {
    await expect(openFrameRecorder(join(dir, 'missing', 'frames.jsonl'), { clock: new FakeClock() })).rejects.toThrow(
      /ENOENT/,
    );
  });
});
