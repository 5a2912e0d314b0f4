// The baselines' worker: what a user writes against the kinovi jobs API with plain fetch, and
// no pixlock code. Create (on 429, wait Retry-After and try again), poll recordInfo every
// `pollMs`, download the result and write it to `file`.
import { writeFile } from 'node:fs/promises';

const headers = { authorization: 'Bearer test-key', 'content-type': 'application/json' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one task to a file; resolves with the result URL. */
export async function plainKinoviTask(
  baseUrl: string,
  inputs: Record<string, unknown>,
  file: string,
  pollMs: number,
): Promise<string> {
  let taskId: string;
  for (;;) {
    const res = await fetch(`${baseUrl}/jobs/createTask`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'nanobanana2', inputs }),
    });
    if (res.status === 429) {
      await res.arrayBuffer();
      await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
      continue;
    }
    if (!res.ok) throw new Error(`create: ${res.status}`);
    taskId = ((await res.json()) as { taskId: string }).taskId;
    break;
  }
  for (;;) {
    await sleep(pollMs);
    const res = await fetch(`${baseUrl}/jobs/recordInfo?taskId=${taskId}`, { headers });
    const task = (await res.json()) as { status: string; output: { url: string }[] | null };
    if (task.status === 'fail') throw new Error(`task ${taskId} failed`);
    if (task.status !== 'success') continue;
    const url = task.output![0]!.url;
    const image = await fetch(url);
    await writeFile(file, Buffer.from(await image.arrayBuffer()));
    return url;
  }
}
