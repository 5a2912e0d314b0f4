import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { echoKeyText, HOSTILE_TEXT } from './hostile-answers.js';
import { makespanMs } from './stats.js';
import { kinoviHttp, taskIdOf } from './test-utils/kinovi-http.js';
import { startedFakes } from './test-utils/started-fakes.js';

const KEY = 'sk-live/ECHO+key_42';
const start = startedFakes({ queueMs: 0, latencyMs: 5, apiKeys: [KEY] });

async function rawCreate(baseUrl: string, inputs: Record<string, unknown>) {
  const res = await fetch(`${baseUrl}/jobs/createTask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ model: 'nanobanana2', inputs }),
  });
  return { status: res.status, text: await res.text() };
}

describe('a hostile fake', () => {
  it.each([
    ['raw', KEY],
    ['json-escaped', 'sk\\u002dlive\\/ECHO\\u002bkey\\u005f42'],
    ['url-encoded', 'sk%2Dlive%2FECHO%2Bkey%5F42'],
    ['base64', Buffer.from(`Bearer ${KEY}`).toString('base64')],
    ['partial', 's\\u006b-\\u006ci\\u0076e\\u002fE\\u0043H\\u004f+\\u006be\\u0079_\\u00342'],
  ] as const)(
    'echoes the key %s in error answers, valid JSON decoding to it',
    async (form, text) => {
      expect(echoKeyText(KEY, form)).toBe(text);
      const kinovi = await start({ echoKey: form, reject1k: true });
      const answer = await rawCreate(kinovi.baseUrl, { prompt: 'p', resolution: '1k' });
      expect(answer.status).toBe(400);
      expect(answer.text).toContain(text);
      const body = JSON.parse(answer.text) as Record<string, string>;
      expect(body.authorization).toBe(
        `Bearer ${form === 'url-encoded' || form === 'base64' ? text : KEY}`,
      );
      // Successes stay clean.
      expect((await rawCreate(kinovi.baseUrl, { prompt: 'p' })).text).not.toContain('ECHO');
    },
  );

  it('puts terminal escapes and CR/LF in error messages and fail reasons', async () => {
    const kinovi = await start({ hostileText: true, failRate: 1, rate500: 0 });
    const http = kinoviHttp(kinovi, KEY);
    const taskId = taskIdOf(await http.create({ prompt: 'p' }));
    const settled = await http.settle(taskId);
    expect((settled.body.error as { message: string }).message).toContain(HOSTILE_TEXT);
    kinovi.injectOnce({ route: 'recordInfo', status: 500 });
    expect((await http.poll(taskId)).body.message).toContain('\u001b[2J');
  });

  it('sends task ids above 2^53 as bare JSON numbers, and answers polls for their digits', async () => {
    const kinovi = await start({ numericTaskIds: true });
    const { text } = await rawCreate(kinovi.baseUrl, { prompt: 'p' });
    const digits = /"taskId":(\d+)\}/.exec(text)?.[1] ?? '';
    expect(BigInt(digits)).toBeGreaterThan(2n ** 53n);
    expect(String(JSON.parse(text).taskId)).not.toBe(digits); // JSON.parse rounds it
    const poll = await fetch(`${kinovi.baseUrl}/jobs/recordInfo?taskId=${digits}`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(poll.status).toBe(200);
    expect(await poll.text()).toContain(`"taskId":${digits},`);
  });

  it('overcharges (charged and reported) or lies about creditsUsed (reported only)', async () => {
    const kinovi = await start({ chargePerTask: 100 });
    const http = kinoviHttp(kinovi, KEY);
    const first = await http.settle(taskIdOf(await http.create({ prompt: 'p' })));
    expect(first.body.creditsUsed).toBe(100);
    expect(kinovi.stats.creditsCharged).toBe(100);
    kinovi.configure({ chargePerTask: undefined, creditsUsedReport: -1000 });
    const second = await http.settle(taskIdOf(await http.create({ prompt: 'q' })));
    expect(second.body.creditsUsed).toBe(-1000);
    expect(kinovi.stats.creditsCharged).toBe(115);
  });

  it('trickles a JSON answer after sending its headers at once', async () => {
    const kinovi = await start({ jsonTrickleBytesPerSecond: 1000 });
    const taskId = taskIdOf(await kinoviHttp(kinovi, KEY).create({ prompt: 'p' }));
    const url = new URL(`${kinovi.baseUrl}/jobs/recordInfo?taskId=${taskId}`);
    const chunks = await new Promise<Buffer[]>((resolve, reject) => {
      const req = request(url, { headers: { authorization: `Bearer ${KEY}` } }, (res) => {
        const got: Buffer[] = [];
        res.on('data', (c: Buffer) => got.push(c));
        res.on('end', () => resolve(got));
      });
      req.on('error', reject);
      req.end();
    });
    const body = Buffer.concat(chunks);
    expect(JSON.parse(body.toString()).taskId).toBe(taskId);
    // 10 bytes every 10 ms: the body comes in many separate pieces, never in one.
    expect(chunks.length).toBeGreaterThan(body.length / 40);
  });

  it("records server-side timing and each task's references", async () => {
    const kinovi = await start();
    const http = kinoviHttp(kinovi, KEY);
    expect(makespanMs(kinovi.stats)).toBeUndefined();
    const refs = ['https://cdn.example/a.png', 'https://cdn.example/b.png'];
    const a = taskIdOf(await http.create({ prompt: 'a', imageUrls: refs, uploadedUrls: refs }));
    const b = taskIdOf(await http.create({ prompt: 'b' }));
    await http.settle(a);
    await http.settle(b);
    const { firstCreateAt, lastCompletionAt } = kinovi.stats;
    const tasks = kinovi.tasks();
    expect(firstCreateAt).toBe(tasks[0]?.createTime);
    expect(lastCompletionAt).toBe(Math.max(...tasks.map((t) => t.completeTime ?? 0)));
    expect(makespanMs(kinovi.stats)).toBe(lastCompletionAt! - firstCreateAt!);
    expect(kinovi.stats.referencesByTask).toEqual({ [a]: refs, [b]: [] });
  });
});
