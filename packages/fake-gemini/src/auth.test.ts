import { describe, expect, it } from 'vitest';
import { HOSTILE_TEXT } from './hostile-answers.js';
import { geminiHttp, imageRequest } from './test-utils/gemini-http.js';
import { startedFakes } from './test-utils/started-fakes.js';

const KEY = 'AIza-secret/KEY+42';
const start = startedFakes({ generateLatencyMs: 0, apiKeys: [KEY, 'other'] });

describe('the API key', () => {
  it('no key: 403 PERMISSION_DENIED "unregistered callers", on every route', async () => {
    const gemini = await start();
    const http = geminiHttp(gemini, null);
    for (const answer of [
      await http.generate(imageRequest('p')),
      await http.get('batches/x'),
      await http.get('files/x'),
    ]) {
      expect(answer).toMatchObject({
        status: 403,
        body: { error: { status: 'PERMISSION_DENIED' } },
      });
      expect((answer.body.error as { message: string }).message).toContain('unregistered callers');
    }
    expect(gemini.stats).toMatchObject({ generates403: 1, generatesProcessed: 0 });
  });

  it('a wrong key: 400 INVALID_ARGUMENT with ErrorInfo API_KEY_INVALID, quoting the key as Google did', async () => {
    const gemini = await start();
    const answer = await geminiHttp(gemini, 'AIza-wrong').generate(imageRequest('p'));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: 'API key not valid. Please pass a valid API key.',
    });
    const details = (answer.body.error as { details: Record<string, unknown>[] }).details;
    expect(details).toContainEqual(expect.objectContaining({ reason: 'API_KEY_INVALID' }));
    expect(details).toContainEqual(
      expect.objectContaining({ detail: 'Invalid API key: AIza-wrong' }),
    );
    expect(gemini.stats.generates400).toBe(1);
  });

  it('echoKey none keeps the key out; raw and url-encoded put it in every error message', async () => {
    const quiet = await start({ echoKey: 'none' });
    const text = JSON.stringify(
      (await geminiHttp(quiet, 'AIza-wrong').generate(imageRequest('p'))).body,
    );
    expect(text).not.toContain('AIza-wrong');

    const raw = await start({ echoKey: 'raw' });
    const missing = await geminiHttp(raw, KEY).generate(imageRequest('p'), 'nope');
    expect((missing.body.error as { message: string }).message).toContain(`request key: ${KEY}`);

    const encoded = await start({ echoKey: 'url-encoded' });
    const e = await geminiHttp(encoded, KEY).generate(imageRequest('p'), 'nope');
    expect((e.body.error as { message: string }).message).toContain(encodeURIComponent(KEY));
    // Successes never quote it.
    expect(
      JSON.stringify((await geminiHttp(raw, KEY).generate(imageRequest('p'))).body),
    ).not.toContain(KEY);
  });

  it('a denied key: 403 SERVICE_DISABLED; a key in ?key= works but is counted', async () => {
    const gemini = await start({ deniedKeys: ['blocked'] });
    const denied = await geminiHttp(gemini, 'blocked').generate(imageRequest('p'));
    expect(denied).toMatchObject({ status: 403, body: { error: { status: 'PERMISSION_DENIED' } } });
    const res = await fetch(
      `${gemini.baseUrl}/v1beta/models/gemini-3.1-flash-image:generateContent?key=${encodeURIComponent(KEY)}`,
      { method: 'POST', body: JSON.stringify(imageRequest('p', { imageSize: '512' })) },
    );
    expect(res.status).toBe(200);
    expect(gemini.stats.keysInQuery).toBe(1);
  });

  it('each key is its own account: batches and files of one are 403 to the other', async () => {
    const gemini = await start();
    const mine = geminiHttp(gemini, KEY);
    const created = await mine.createBatch({
      displayName: 'mine',
      inputConfig: { requests: { requests: [{ request: imageRequest('p') }] } },
    });
    const name = created.body.name as string;
    expect((await geminiHttp(gemini, 'other').get(name)).status).toBe(403);
    expect((await mine.get(name)).status).toBe(200);
  });

  it('hostileText puts terminal escapes in error messages', async () => {
    const gemini = await start({ hostileText: true });
    const answer = await geminiHttp(gemini, KEY).generate(imageRequest('p'), 'nope');
    expect((answer.body.error as { message: string }).message).toContain(HOSTILE_TEXT);
  });
});
