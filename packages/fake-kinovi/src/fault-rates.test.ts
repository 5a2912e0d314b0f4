import { describe, expect, it } from 'vitest';
import { kinoviHttp, taskIdOf } from './test-utils/kinovi-http.js';
import { startedFakes } from './test-utils/started-fakes.js';

const start = startedFakes({ queueMs: 0, latencyMs: 0 });

/** What a poll got: its status, `reset`, or `malformed` for a 200 that is not JSON. */
async function pollOutcome(baseUrl: string, taskId: string): Promise<string> {
  try {
    const res = await fetch(`${baseUrl}/jobs/recordInfo?taskId=${taskId}`, {
      headers: { authorization: 'Bearer test-key' },
    });
    const text = await res.text();
    if (res.status !== 200)
      return res.headers.get('content-type')?.startsWith('text/html') ? 'html' : String(res.status);
    try {
      JSON.parse(text);
      return '200';
    } catch {
      return 'malformed';
    }
  } catch {
    return 'reset';
  }
}

async function downloadOutcome(url: string): Promise<string> {
  try {
    const res = await fetch(url);
    const bytes = await res.arrayBuffer();
    if (res.status !== 200) return String(res.status);
    return res.headers.get('content-type')?.startsWith('text/html')
      ? 'html'
      : `ok:${bytes.byteLength}`;
  } catch {
    return 'broken'; // reset or truncated
  }
}

describe('fault rates', () => {
  it('pollFaultRate fails that share of polls with every kind of fault, reproducibly', async () => {
    const run = async () => {
      const kinovi = await start({ pollFaultRate: 0.4, seed: 11 });
      const taskId = taskIdOf(await kinoviHttp(kinovi).create({ prompt: 'p' }));
      const outcomes: string[] = [];
      for (let i = 0; i < 150; i++) outcomes.push(await pollOutcome(kinovi.baseUrl, taskId));
      return { outcomes, pollFaults: kinovi.stats.pollFaults };
    };
    const { outcomes, pollFaults } = await run();
    const failed = outcomes.filter((o) => o !== '200').length;
    expect(failed / outcomes.length).toBeGreaterThan(0.28);
    expect(failed / outcomes.length).toBeLessThan(0.52);
    expect(new Set(outcomes)).toEqual(new Set(['200', '500', 'reset', 'malformed', 'html', '429']));
    expect(pollFaults).toBe(failed);
    expect((await run()).outcomes).toEqual(outcomes);
  });

  it('each poll fault has its own rate', async () => {
    for (const [option, outcome] of [
      ['poll500Rate', '500'],
      ['pollResetRate', 'reset'],
      ['pollMalformedRate', 'malformed'],
      ['pollHtmlRate', 'html'],
      ['poll429Rate', '429'],
    ] as const) {
      const kinovi = await start({ [option]: 1 });
      const taskId = taskIdOf(await kinoviHttp(kinovi).create({ prompt: 'p' }));
      expect(await pollOutcome(kinovi.baseUrl, taskId)).toBe(outcome);
    }
  });

  it('downloadFaultRate fails that share of downloads; the rest are whole', async () => {
    const kinovi = await start({ downloadFaultRate: 0.2, seed: 5 });
    const http = kinoviHttp(kinovi);
    const taskId = taskIdOf(await http.create({ prompt: 'p', resolution: '1k' }));
    const [output] = (await http.settle(taskId)).body.output as { url: string }[];
    const outcomes: string[] = [];
    for (let i = 0; i < 100; i++) outcomes.push(await downloadOutcome(output!.url));
    const ok = outcomes.filter((o) => o.startsWith('ok:'));
    expect(new Set(ok).size).toBe(1);
    expect(1 - ok.length / outcomes.length).toBeGreaterThan(0.1);
    expect(1 - ok.length / outcomes.length).toBeLessThan(0.32);
    expect(new Set(outcomes.filter((o) => !o.startsWith('ok:')))).toEqual(
      new Set(['500', 'html', 'broken']),
    );
    expect(kinovi.stats.downloadFaults).toBe(outcomes.length - ok.length);
  });
  it('answers about another task, or a success with no output, at their rates; the rest truthfully', async () => {
    const kinovi = await start({ pollForeignTaskRate: 0.3, emptyOutputRate: 0.3, seed: 2 });
    const http = kinoviHttp(kinovi);
    const other = taskIdOf(await http.create({ prompt: 'other' }));
    await http.settle(other);
    const taskId = taskIdOf(await http.create({ prompt: 'p' }));
    const seen = { own: 0, foreign: 0, empty: 0 };
    const faultsBefore = kinovi.stats.pollFaults;
    for (let i = 0; i < 100; i++) {
      const { body } = await http.poll(taskId);
      if (body.taskId !== taskId) {
        expect(body.taskId).toBe(other);
        seen.foreign++;
      } else if (body.status === 'success' && (body.output as unknown[]).length === 0) seen.empty++;
      else {
        seen.own++;
        // Truthful timestamps: the server's own clock, completion after creation.
        if (body.status === 'success')
          expect(body.completeTime as number).toBeGreaterThanOrEqual(body.createTime as number);
      }
    }
    expect(seen.foreign).toBeGreaterThan(15);
    expect(seen.empty).toBeGreaterThan(10);
    expect(seen.own).toBeGreaterThan(30);
    expect(kinovi.stats.pollFaults - faultsBefore).toBe(seen.foreign + seen.empty);
  });
});
