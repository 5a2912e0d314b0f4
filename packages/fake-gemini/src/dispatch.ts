import type { IncomingHttpHeaders } from 'node:http';
import { cancelBatch, createBatch, deleteBatch, getBatch, listBatches } from './batch-routes.js';
import type { BatchFate } from './batch-store.js';
import type { LieKind } from './fault-decider.js';
import { deleteFile, downloadFile, getFile, startUpload, uploadChunk } from './file-routes.js';
import { generateContent } from './generate-route.js';
import { googleError } from './google-error.js';
import type { Reply } from '@pixlock/fake-http-kit';
import type { Route } from './route-of.js';
import type { ServerContext } from './server-context.js';

/** What a request brings to its handler. */
export interface RequestInfo {
  key: string | undefined;
  headers: IncomingHttpHeaders;
  url: URL;
  /** The body; undefined when over the route's limit. */
  raw: Buffer | undefined;
  /** A scripted lie for a generateContent's image part. */
  lie?: LieKind;
  /** The fate queued for the next batch created. */
  batchFate: BatchFate;
}

/** Calls the handler of `route`. */
export async function dispatch(ctx: ServerContext, route: Route, r: RequestInfo): Promise<Reply> {
  switch (route.name) {
    case 'generateContent':
      return generateContent(ctx, { key: r.key, modelId: route.id, raw: r.raw, lie: r.lie });
    case 'batchCreate':
      return createBatch(ctx, r.key, route.id, r.raw, r.batchFate);
    case 'batchGet':
      return getBatch(ctx, r.key, route.id);
    case 'batchList':
      return listBatches(ctx, r.key, r.url);
    case 'batchCancel':
      return cancelBatch(ctx, r.key, route.id);
    case 'batchDelete':
      return deleteBatch(ctx, r.key, route.id);
    case 'upload':
      return startUpload(ctx, r.key, r.headers, r.raw);
    case 'uploadChunk':
      return uploadChunk(ctx, route.id, r.headers, r.raw);
    case 'fileGet':
      return getFile(ctx, r.key, route.id);
    case 'fileDelete':
      return deleteFile(ctx, r.key, route.id);
    case 'download':
      return downloadFile(ctx, r.key, route.id, r.url);
    default:
      return googleError(404, 'Not found.');
  }
}
