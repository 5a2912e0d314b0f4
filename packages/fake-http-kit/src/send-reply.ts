import type { ServerResponse } from 'node:http';
import type { Reply } from './reply.js';
import type { ScriptedFault } from './scripted-fault.js';
import { writeReply } from './write-reply.js';
import type { WriteOptions } from './write-reply.js';

/** The trickle rates a fake's options set. */
export interface TrickleOptions {
  /** After the headers, send JSON answers at this many bytes/s; 0 = at once. */
  jsonTrickleBytesPerSecond: number;
  /** After the headers, send downloads at this many bytes/s; 0 = at once. */
  downloadTrickleBytesPerSecond: number;
}

/**
 * The reply with the trickle rate it is sent at: a scripted fault's rate first, then the
 * options' rate for downloads or for JSON answers. Other bytes (pages, scripted bodies) go at once.
 */
export function withTrickle(
  reply: Reply,
  scripted: ScriptedFault | undefined,
  isDownload: boolean,
  o: TrickleOptions,
): Reply {
  const rate =
    scripted?.trickleBytesPerSecond ??
    (isDownload
      ? o.downloadTrickleBytesPerSecond
      : reply.json !== undefined
        ? o.jsonTrickleBytesPerSecond
        : 0);
  return rate > 0 ? { ...reply, trickleBytesPerSecond: rate } : reply;
}

/**
 * Waits `ms`, or less when the client goes away or the server closes its socket, so no timer
 * outlives either. Then `res.destroyed` tells whether there is still anyone to answer.
 */
export function waitOrGone(res: ServerResponse, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Sends a fake's answer as the options and a scripted fault shape it: at its trickle rate
 * ({@link withTrickle}), after the fault's `delayMs` (nothing is written when the client gave
 * up meanwhile), with its transport fault ({@link writeReply}).
 */
export async function sendReply(
  res: ServerResponse,
  reply: Reply,
  how: {
    scripted: ScriptedFault | undefined;
    /** A file download: trickled at the download rate. */
    isDownload: boolean;
    options: TrickleOptions;
    write: WriteOptions;
  },
): Promise<void> {
  const timed = withTrickle(reply, how.scripted, how.isDownload, how.options);
  if (how.scripted?.delayMs) {
    await waitOrGone(res, how.scripted.delayMs);
    if (res.destroyed) return; // The client gave up waiting.
  }
  writeReply(res, timed, how.write);
}
