import type { FakeKinoviOptions } from './options.js';

/** The three kinds of request a fault can target. */
export type FaultRoute = 'createTask' | 'recordInfo' | 'download';

/** A one-shot fault for the next request on `route`, queued with {@link FakeKinovi.injectOnce}. */
export interface ScriptedFault {
  /** Which request the fault replaces: the next one on this route, whatever its content. */
  route: FaultRoute;
  /** HTTP status to answer with (default: 500; 200 for `kind: 'html'` on downloads, 502 on API routes). */
  status?: number;
  /** Body to answer with: JSON-encoded unless it is a string or Buffer (default `{message}` by status). */
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
   * Let the request take effect first (a createTask really creates and charges the task) and then
   * replace the answer: models a response lost after the server committed, the one case where a
   * blind retry pays twice. Default false: the request has no effect at all.
   */
  afterProcessing?: boolean;
  /** Send the answer's body at this many bytes per second once the headers are out. */
  trickleBytesPerSecond?: number;
  /**
   * Hold the answer this long before sending it: a slow network or a hung gateway. Alone (no
   * status, kind or body) the request is handled normally and its real answer arrives late, so
   * a client that gives up first has had its create taken without hearing of it.
   */
  delayMs?: number;
}

/** A small, fast, seedable PRNG (mulberry32); returns floats in [0, 1). */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Distinct streams per concern, so e.g. the number of polls (which depends on timing) cannot
// shift which creates fail: the same sequence of creates sees the same faults on every run.
const STREAMS = ['create', 'poll', 'download', 'fate', 'jitter', 'answer'] as const;
type Stream = (typeof STREAMS)[number];

/** What a createTask request should suffer before normal handling. */
export type CreateFault = 'none' | '500' | '429';
/** What a download should suffer. */
export type DownloadFault = 'none' | '404' | 'truncate' | 'html' | '500' | 'reset';
/** What a recordInfo should suffer. */
export type PollFault = 'none' | '500' | 'reset' | 'malformed' | 'html' | '429';

const POLL_MIX: readonly PollFault[] = ['500', 'reset', 'malformed', 'html', '429'];
const DOWNLOAD_MIX: readonly DownloadFault[] = ['500', 'reset', 'truncate', 'html'];
const pick = <T>(list: readonly T[], u: number): T => list[Math.floor(u * list.length)] as T;

/** Makes every random decision of the fake, reproducibly from `options.seed`. */
export class FaultDecider {
  private streams = new Map<Stream, () => number>();
  private readonly scripted: ScriptedFault[] = [];

  constructor(seed: number) {
    this.reseed(seed);
  }

  /** Restarts every stream from `seed`. */
  reseed(seed: number): void {
    STREAMS.forEach((name, i) => this.streams.set(name, createPrng(seed * 31 + i * 0x9e3779b9)));
  }

  private draw(stream: Stream): number {
    return (this.streams.get(stream) as () => number)();
  }

  /** Queues a one-shot fault; faults for one route are used in the order they were queued. */
  inject(fault: ScriptedFault): void {
    this.scripted.push({ ...fault });
  }

  /** Removes and returns the next scripted fault for `route`, if any. */
  takeScripted(route: FaultRoute): ScriptedFault | undefined {
    const index = this.scripted.findIndex((f) => f.route === route);
    return index === -1 ? undefined : this.scripted.splice(index, 1)[0];
  }

  /** Both draws happen on every call, so the stream stays aligned whatever the outcome. */
  createFault(o: Pick<FakeKinoviOptions, 'rate500' | 'rate429'>): CreateFault {
    const u500 = this.draw('create');
    const u429 = this.draw('create');
    if (u500 < o.rate500) return '500';
    if (u429 < o.rate429) return '429';
    return 'none';
  }

  /** True when a poll should answer 500 under `rate500` alone (kept for its stream alignment). */
  pollFails(o: Pick<FakeKinoviOptions, 'rate500'>): boolean {
    return this.draw('poll') < o.rate500;
  }

  /** Every draw happens on every call, so the stream stays aligned whatever the outcome. */
  pollFault(o: FakeKinoviOptions): PollFault {
    const u500 = this.draw('poll');
    const u = [o.poll500Rate, o.pollResetRate, o.pollMalformedRate, o.pollHtmlRate, o.poll429Rate];
    const draws = u.map(() => this.draw('poll'));
    const uMix = this.draw('poll');
    const uKind = this.draw('poll');
    if (u500 < o.rate500) return '500';
    const hit = draws.findIndex((d, i) => d < (u[i] as number));
    if (hit !== -1) return POLL_MIX[hit] as PollFault;
    return uMix < o.pollFaultRate ? pick(POLL_MIX, uKind) : 'none';
  }

  downloadFault(o: FakeKinoviOptions): DownloadFault {
    const rates: [DownloadFault, number][] = [
      ['404', o.download404Rate],
      ['truncate', o.downloadTruncateRate],
      ['html', o.downloadHtmlRate],
      ['500', o.download500Rate],
      ['reset', o.downloadResetRate],
    ];
    const draws = rates.map(() => this.draw('download'));
    const uMix = this.draw('download');
    const uKind = this.draw('download');
    const hit = draws.findIndex((d, i) => d < (rates[i] as [DownloadFault, number])[1]);
    if (hit !== -1) return (rates[hit] as [DownloadFault, number])[0];
    return uMix < o.downloadFaultRate ? pick(DOWNLOAD_MIX, uKind) : 'none';
  }

  /**
   * What a recordInfo answer that got through says wrong, on its own stream so the older
   * streams (and the tests seeded on them) are unchanged. Both draws happen on every call.
   */
  answerFault(
    o: Pick<FakeKinoviOptions, 'pollForeignTaskRate' | 'emptyOutputRate'>,
  ): 'none' | 'foreign' | 'empty-output' {
    const uForeign = this.draw('answer');
    const uEmpty = this.draw('answer');
    if (uForeign < o.pollForeignTaskRate) return 'foreign';
    return uEmpty < o.emptyOutputRate ? 'empty-output' : 'none';
  }

  /** Decided when the task is accepted, so a task's fate does not depend on how often it is polled. */
  taskFails(o: Pick<FakeKinoviOptions, 'failRate'>): boolean {
    return this.draw('fate') < o.failRate;
  }

  /** Extra milliseconds for one lifecycle phase. */
  jitter(o: Pick<FakeKinoviOptions, 'jitterMs'>): number {
    const u = this.draw('jitter');
    return o.jitterMs > 0 ? Math.floor(u * o.jitterMs) : 0;
  }
}
