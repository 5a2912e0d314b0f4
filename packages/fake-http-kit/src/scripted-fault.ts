/**
 * A one-shot fault for the next request on `route`, as every fake takes it; a fake names its
 * routes and may add fields of its own.
 */
export interface ScriptedFault<Route extends string = string> {
  /** Which request the fault replaces: the next one on this route, whatever its content. */
  route: Route;
  /** HTTP status to answer with. */
  status?: number;
  /** Body to answer with: JSON-encoded unless it is a string or Buffer. */
  body?: unknown;
  /**
   * Transport-level misbehaviour instead of a normal answer:
   * `truncate` sends the full Content-Length but only part of the body, then drops the socket;
   * `html` answers an HTML error page; `drop` destroys the socket without answering;
   * `malformed` answers 200 with JSON cut in the middle.
   */
  kind?: 'truncate' | 'html' | 'drop' | 'malformed';
  /** Extra response headers (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  /**
   * Let the request take effect first and only then replace the answer: the response lost
   * after the server committed, the one case where a blind retry pays twice. Default false:
   * the request has no effect at all.
   */
  afterProcessing?: boolean;
  /** Send the answer's body at this many bytes per second once the headers are out. */
  trickleBytesPerSecond?: number;
  /**
   * Hold the answer this long before sending it: a slow network or a hung gateway. Alone (no
   * status, kind or body) the request takes effect at once and its real answer arrives late.
   */
  delayMs?: number;
}

/**
 * True when the fault replaces the answer; `delayMs` and `trickleBytesPerSecond` alone shape
 * how the real answer is sent, not what it is.
 */
export function replacesAnswer(fault: ScriptedFault): boolean {
  return fault.kind !== undefined || fault.status !== undefined || fault.body !== undefined;
}
