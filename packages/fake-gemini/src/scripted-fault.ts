import type { LieKind } from './lie-kinds.js';

/** The requests a scripted fault can target. */
export const FAULT_ROUTES = [
  'generateContent',
  'batchCreate',
  'batchGet',
  'batchList',
  'batchCancel',
  'upload',
  'fileGet',
  'download',
] as const;
/** One of {@link FAULT_ROUTES}. */
export type FaultRoute = (typeof FAULT_ROUTES)[number];

/** A one-shot fault for the next request on `route`, queued with {@link FakeGemini.injectOnce}. */
export interface ScriptedFault {
  /** Which request: the next one on this route, whatever its content. */
  route: FaultRoute;
  /** HTTP status to answer with; the body is then Google's error envelope for it. */
  status?: number;
  /** Body to answer with instead: JSON-encoded unless a string or Buffer. */
  body?: unknown;
  /**
   * Transport misbehaviour: `drop` destroys the socket without an answer; `truncate` sends the
   * full Content-Length, half the body, then drops; `html` answers a gateway's HTML page;
   * `malformed` answers 200 with JSON cut in the middle.
   */
  kind?: 'drop' | 'truncate' | 'html' | 'malformed';
  /** Extra answer headers. */
  headers?: Record<string, string>;
  /**
   * Let the request take effect first (a generateContent is processed and charged, a batch is
   * created) and only then replace the answer: the response lost after the server committed,
   * the one case where a blind retry pays twice. Default false: the request has no effect.
   */
  afterProcessing?: boolean;
  /** Send the answer's body at this many bytes per second once the headers are out. */
  trickleBytesPerSecond?: number;
  /** Hold the answer this long; alone, the request takes effect at once and its answer is late. */
  delayMs?: number;
  /** generateContent only: process and charge as usual, but the image part lies this way. */
  lie?: LieKind;
}

/** True when the fault replaces the answer (rather than only delaying or slowing it). */
export function replacesAnswer(fault: ScriptedFault): boolean {
  return fault.kind !== undefined || fault.status !== undefined || fault.body !== undefined;
}
