import { request } from 'node:http';

/** What a raw GET saw: the status and headers, each body chunk as it came, how it ended. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  chunks: Buffer[];
  /** `end` for a whole answer; `aborted` when the socket closed mid-body (a truncation). */
  ending: 'end' | 'aborted';
}

/**
 * A GET (or HEAD) with node's own client, which, unlike fetch, shows chunks as they arrive
 * and a body cut short. Rejects when no answer came at all (a dropped socket).
 */
export function rawGet(url: string, method: 'GET' | 'HEAD' = 'GET'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      const chunks: Buffer[] = [];
      const done = (ending: RawAnswer['ending']) =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, chunks, ending });
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done('end'));
      res.on('aborted', () => done('aborted'));
      res.on('error', () => done('aborted'));
    });
    req.on('error', reject);
    req.end();
  });
}
