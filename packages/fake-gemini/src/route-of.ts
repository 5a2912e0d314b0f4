import type { FaultRoute } from './scripted-fault.js';

/** Every request the fake answers, by what it does. */
export type RouteName = FaultRoute | 'uploadChunk' | 'fileDelete' | 'batchDelete';

/** A request's route and the ids its path carries. */
export interface Route {
  name: RouteName;
  /** The model id (generate, batchCreate), batch id, file id or upload id. */
  id: string;
}

// Google serves both versions; @google/genai 2.x called v1beta, 3.x calls v1 by default.
const V = '/(?:v1|v1beta)';
const re = (pattern: string) => new RegExp(`^${pattern}$`);
const GENERATE = re(`${V}/models/([^/:]+):generateContent`);
const BATCH_CREATE = re(`${V}/models/([^/:]+):batchGenerateContent`);
const BATCH_LIST = re(`${V}/batches`);
const BATCH = re(`${V}/batches/([^/:]+)(:cancel)?`);
const UPLOAD = re(`/upload${V}/files`);
const FILE = re(`(?:/download)?${V}/files/([^/:]+)(:download)?`);

/**
 * Maps a method and path (under `/v1` or `/v1beta`) to a route: `models/{m}:generateContent`,
 * `models/{m}:batchGenerateContent`, `batches[/{id}[:cancel]]`, `files/{id}[:download]` (also
 * under `/download/v1beta`), and the upload endpoint with or without an `upload_id`.
 */
export function routeOf(method: string, url: URL): Route | undefined {
  const path = url.pathname;
  let m: RegExpExecArray | null;
  if (method === 'POST' && (m = GENERATE.exec(path))) {
    return { name: 'generateContent', id: decodeURIComponent(m[1] as string) };
  }
  if (method === 'POST' && (m = BATCH_CREATE.exec(path))) {
    return { name: 'batchCreate', id: decodeURIComponent(m[1] as string) };
  }
  if (method === 'GET' && BATCH_LIST.test(path)) return { name: 'batchList', id: '' };
  if ((m = BATCH.exec(path))) {
    const id = m[1] as string;
    if (m[2]) return method === 'POST' ? { name: 'batchCancel', id } : undefined;
    if (method === 'GET') return { name: 'batchGet', id };
    if (method === 'DELETE') return { name: 'batchDelete', id };
    return undefined;
  }
  if (method === 'POST' && UPLOAD.test(path)) {
    const uploadId = url.searchParams.get('upload_id');
    return uploadId ? { name: 'uploadChunk', id: uploadId } : { name: 'upload', id: '' };
  }
  if ((m = FILE.exec(path))) {
    const id = m[1] as string;
    if (m[2]) return method === 'GET' ? { name: 'download', id } : undefined;
    if (method === 'GET') return { name: 'fileGet', id };
    if (method === 'DELETE') return { name: 'fileDelete', id };
  }
  return undefined;
}
