import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { geminiHttp, imageRequest, imagesOf } from './test-utils/gemini-http.js';
import { startedFakes } from './test-utils/started-fakes.js';

const start = startedFakes({ batchQueueMs: 5, batchRunMs: 5 });
const jsonl = (prompts: string[]) =>
  Buffer.from(
    prompts
      .map((p, i) =>
        JSON.stringify({ key: `img-${i}`, request: imageRequest(p, { imageSize: '512' }) }),
      )
      .join('\n') + '\n',
  );
const uploadHeaders = (extra: Record<string, string>) => ({
  'x-goog-api-key': 'test-key',
  ...extra,
});

describe('the Files API, resumable as the SDK speaks it', () => {
  it('start → upload in chunks → finalize: the File resource, bytes intact', async () => {
    const gemini = await start();
    const bytes = jsonl(['a', 'b', 'c', 'd', 'e']);
    const { start: started, final } = await geminiHttp(gemini).upload(
      bytes,
      'application/jsonl',
      100,
    );
    expect(started.status).toBe(200);
    expect(started.headers.get('x-goog-upload-url')).toMatch(/\/upload\/v1beta\/files\?upload_id=/);
    expect(final?.status).toBe(200);
    expect(final?.headers.get('x-goog-upload-status')).toBe('final');
    const file = final?.body.file as Record<string, unknown>;
    expect(file).toMatchObject({
      name: expect.stringMatching(/^files\/[0-9a-f]+$/),
      displayName: 'input.jsonl',
      mimeType: 'application/jsonl',
      sizeBytes: String(bytes.length),
      sha256Hash: createHash('sha256').update(bytes).digest('base64'),
      state: 'ACTIVE',
      source: 'UPLOADED',
    });
    expect(gemini.files()[0]?.bytes.equals(bytes)).toBe(true);
    expect((await geminiHttp(gemini).get(file.name as string)).body).toMatchObject({
      name: file.name,
    });
    expect(gemini.stats.uploads).toBe(1);
  });

  it('a wrong offset is refused; query tells how much arrived; a repeated finalize answers the same file', async () => {
    const gemini = await start();
    const started = await fetch(`${gemini.baseUrl}/upload/v1beta/files`, {
      method: 'POST',
      headers: uploadHeaders({
        'x-goog-upload-protocol': 'resumable',
        'x-goog-upload-command': 'start',
        'x-goog-upload-header-content-length': '6',
        'x-goog-upload-header-content-type': 'text/plain',
      }),
      body: '{}',
    });
    const url = started.headers.get('x-goog-upload-url') as string;
    const send = (command: string, offset: number, body: string) =>
      fetch(url, {
        method: 'POST',
        headers: uploadHeaders({
          'x-goog-upload-command': command,
          'x-goog-upload-offset': String(offset),
        }),
        body,
      });
    expect((await send('upload', 0, 'abc')).headers.get('x-goog-upload-status')).toBe('active');
    expect((await send('upload', 1, 'xyz')).status).toBe(400);
    const query = await fetch(url, {
      method: 'POST',
      headers: { 'x-goog-upload-command': 'query' },
    });
    expect(query.headers.get('x-goog-upload-size-received')).toBe('3');
    const short = await send('upload, finalize', 3, 'de');
    expect(short.status).toBe(400); // 5 bytes of 6 declared
    const final = await send('upload, finalize', 5, 'f');
    const again = await send('finalize', 6, '');
    const names = [await final.json(), await again.json()].map(
      (b) => (b as { file: { name: string } }).file.name,
    );
    expect(names[0]).toBe(names[1]);
    // The refused finalize kept its bytes (they did arrive): 'f' completes the file.
    expect(gemini.files()[0]?.bytes.toString()).toBe('abcdef');
    expect(gemini.stats.uploads).toBe(1);
  });

  it('needs a key to start, refuses other protocols, and will not hand back uploaded bytes', async () => {
    const gemini = await start();
    const noKey = await fetch(`${gemini.baseUrl}/upload/v1beta/files`, {
      method: 'POST',
      body: '{}',
    });
    expect(noKey.status).toBe(403);
    const multipart = await fetch(`${gemini.baseUrl}/upload/v1beta/files`, {
      method: 'POST',
      headers: uploadHeaders({ 'x-goog-upload-protocol': 'multipart' }),
      body: '{}',
    });
    expect(multipart.status).toBe(400);
    const { final } = await geminiHttp(gemini).upload(Buffer.from('x'), 'text/plain');
    const id = (final?.body.file as { name: string }).name.slice('files/'.length);
    const res = await fetch(`${gemini.baseUrl}/v1beta/files/${id}:download?alt=media`, {
      headers: uploadHeaders({}),
    });
    expect(res.status).toBe(400);
  });
});

describe('a batch from a JSONL file', () => {
  it('upload → batch → responses file of {key, response} lines in order → download both paths', async () => {
    const gemini = await start();
    const http = geminiHttp(gemini);
    const { final } = await http.upload(jsonl(['sun', 'moon', 'star']), 'application/jsonl');
    const fileName = (final?.body.file as { name: string }).name;
    const created = await http.createBatch({ displayName: 'from file', inputConfig: { fileName } });
    expect(created.body.metadata).toMatchObject({ inputConfig: { fileName } });
    const done = await http.settle(created.body.name as string);
    const output = (done.body.metadata as { output: { responsesFile: string } }).output;
    expect(output.responsesFile).toMatch(/^files\//);
    const id = output.responsesFile.slice('files/'.length);
    const meta = await http.get(output.responsesFile);
    expect(meta.body).toMatchObject({
      source: 'GENERATED',
      downloadUri: expect.stringContaining(':download?alt=media'),
    });
    for (const path of [
      `/v1beta/files/${id}:download?alt=media`,
      `/download/v1beta/files/${id}:download?alt=media`,
    ]) {
      const res = await fetch(`${gemini.baseUrl}${path}`, { headers: uploadHeaders({}) });
      expect(res.status).toBe(200);
      const lines = (await res.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.key)).toEqual(['img-0', 'img-1', 'img-2']);
      expect(imagesOf(lines[0]?.response as Record<string, unknown>)).toHaveLength(1);
    }
    expect(gemini.generations().map((g) => g.key)).toEqual(['img-0', 'img-1', 'img-2']);
    expect(gemini.stats).toMatchObject({ batchRequestsCharged: 3, downloads: 2 });
  });

  it('refuses a file that is missing, another account’s, or not JSONL', async () => {
    const gemini = await start({ apiKeys: ['test-key', 'other'] });
    const http = geminiHttp(gemini);
    expect(
      (await http.createBatch({ displayName: 'x', inputConfig: { fileName: 'files/nope' } }))
        .status,
    ).toBe(400);
    const { final } = await geminiHttp(gemini, 'other').upload(jsonl(['p']), 'application/jsonl');
    const theirs = (final?.body.file as { name: string }).name;
    expect(
      (await http.createBatch({ displayName: 'x', inputConfig: { fileName: theirs } })).status,
    ).toBe(400);
    const bad = await http.upload(
      Buffer.from('{"key":"a","request":{}}\nnot json\n'),
      'application/jsonl',
    );
    const answer = await http.createBatch({
      displayName: 'x',
      inputConfig: { fileName: (bad.final?.body.file as { name: string }).name },
    });
    expect((answer.body.error as { message: string }).message).toContain('line 2');
  });

  it('download faults: truncated, reset, HTML, 500; each retry can work', async () => {
    const gemini = await start();
    const http = geminiHttp(gemini);
    const { final } = await http.upload(jsonl(['p']), 'application/jsonl');
    const done = await http.settle(
      (
        await http.createBatch({
          displayName: 'x',
          inputConfig: { fileName: (final?.body.file as { name: string }).name },
        })
      ).body.name as string,
    );
    const id = (
      done.body.metadata as { output: { responsesFile: string } }
    ).output.responsesFile.slice(6);
    const url = `${gemini.baseUrl}/download/v1beta/files/${id}:download?alt=media`;
    const get = () =>
      fetch(url, { headers: uploadHeaders({}) }).then(
        async (r) => [r.status, (await r.arrayBuffer()).byteLength] as const,
      );
    gemini.injectOnce({ route: 'download', kind: 'truncate' });
    await expect(get()).rejects.toThrow();
    gemini.configure({ downloadFaultRate: 1 });
    const seen = new Set<string>();
    for (let i = 0; i < 16; i++)
      seen.add(
        await get().then(
          ([s]) => String(s),
          () => 'error',
        ),
      );
    expect(seen).toEqual(new Set(['500', '502', 'error']));
    // Trickled, the whole file still arrives.
    gemini.configure({ downloadFaultRate: 0, downloadTrickleBytesPerSecond: 200_000 });
    const [status, size] = await get();
    expect([status, size]).toEqual([200, gemini.files()[1]?.bytes.length]);
  });
});
