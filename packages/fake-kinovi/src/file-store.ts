import { randomBytes } from 'node:crypto';
import type { FaultDecider } from './faults.js';
import type { FakeKinoviOptions } from './options.js';
import { htmlPage, jsonReply, renderImage } from '@pixlock/fake-http-kit';
import type { Reply } from '@pixlock/fake-http-kit';
import type { TaskStore } from './task-store.js';

/** Path prefix of the public file URLs (outputs and uploads). */
export const FILES_PREFIX = '/files/';
/** Path prefix of the pre-signed PUT targets. */
export const UPLOADS_PREFIX = '/uploads/';

interface Upload {
  fileName: string;
  contentType: string;
  bytes: Buffer | undefined;
}

const htmlReply = (status: number): Reply => ({
  status,
  bytes: htmlPage(status),
  contentType: 'text/html; charset=utf-8',
});

const notFound = (): Reply => ({
  status: 404,
  bytes: Buffer.from('Not Found'),
  contentType: 'text/plain',
});

/** Serves generated outputs (with download faults) and user uploads. */
export class FileStore {
  // Promises, not buffers, so concurrent downloads of one file share a single encode.
  private readonly rendered = new Map<string, Promise<Buffer>>();
  private readonly uploads = new Map<string, Upload>();

  constructor(
    private readonly options: () => FakeKinoviOptions,
    private readonly store: TaskStore,
    private readonly decider: FaultDecider,
  ) {}

  /**
   * The public URL of a task's output. It always ends in `.png`, even for JPEG outputs: the real
   * CDN's extensions are not to be trusted either, clients must read `mediaType`.
   */
  static outputPath(taskId: string): string {
    return `${FILES_PREFIX}${taskId}.png`;
  }

  /** GET/HEAD under /files/. Faults apply per request, so a retry of a faulted download can work. */
  async get(pathname: string, countable: boolean): Promise<Reply> {
    const name = pathname.slice(FILES_PREFIX.length);
    if (name.startsWith('u/')) return this.getUpload(name);
    const fault = countable ? this.decider.downloadFault(this.options()) : 'none';
    const task = this.store.get(name.replace(/\.png$/, ''));
    if (!task || task.status !== 'success' || !task.output?.[0]) return notFound();
    if (fault === '404') return { ...notFound(), fault: true };
    if (fault === 'reset') return { status: 0, kind: 'drop', fault: true };
    if (fault === '500') return { ...htmlReply(500), fault: true };
    if (fault === 'html') return { ...htmlReply(503), status: 200, fault: true };
    const output = task.output[0];
    let bytes = this.rendered.get(task.taskId);
    if (!bytes) {
      bytes = renderImage({ ...output, prompt: task.prompt, variant: task.taskId });
      this.rendered.set(task.taskId, bytes);
    }
    const reply: Reply = {
      status: 200,
      bytes: await bytes,
      contentType: output.mediaType,
      headers: { 'cache-control': 'public, max-age=1209600' },
    };
    return fault === 'truncate' ? { ...reply, kind: 'truncate', fault: true } : reply;
  }

  /** Registers an upload slot; the bytes arrive with a PUT to `uploadUrl`. */
  createUpload(
    fileName: string,
    contentType: string,
    origin: string,
  ): { uploadUrl: string; url: string } {
    const id = randomBytes(8).toString('hex');
    this.uploads.set(id, { fileName, contentType, bytes: undefined });
    return {
      uploadUrl: `${origin}${UPLOADS_PREFIX}${id}`,
      url: `${origin}${FILES_PREFIX}u/${id}/${encodeURIComponent(fileName)}`,
    };
  }

  /** PUT /uploads/<id>: stores the bytes; no auth, like a pre-signed URL. */
  putUpload(pathname: string, bytes: Buffer | undefined): Reply {
    const upload = this.uploads.get(pathname.slice(UPLOADS_PREFIX.length));
    if (!upload) return jsonReply(404, { message: 'Upload not found' });
    if (bytes === undefined) return jsonReply(413, { message: 'File too large' });
    upload.bytes = bytes;
    return { status: 200 };
  }

  private getUpload(name: string): Reply {
    const id = name.split('/')[1] ?? '';
    const upload = this.uploads.get(id);
    if (!upload?.bytes) return notFound();
    return { status: 200, bytes: upload.bytes, contentType: upload.contentType };
  }
}
