import { pick, SeededDecider } from '@pixlock/fake-http-kit';
import type { ScriptedFault as KitScriptedFault } from '@pixlock/fake-http-kit';
import type { FakeKinoviOptions } from './options.js';

// Kept importable from here, where it was first declared.
export { createPrng } from '@pixlock/fake-http-kit';

/** The three kinds of request a fault can target. */
export type FaultRoute = 'createTask' | 'recordInfo' | 'download';

/** A one-shot fault for the next request on `route`, queued with {@link FakeKinovi.injectOnce}. */
export interface ScriptedFault extends KitScriptedFault<FaultRoute> {
  /** HTTP status to answer with (default: 500; 200 for `kind: 'html'` on downloads, 502 on API routes). */
  status?: number;
  /** Body to answer with: JSON-encoded unless it is a string or Buffer (default `{message}` by status). */
  body?: unknown;
  /**
   * Let the request take effect first (a createTask really creates and charges the task) and then
   * replace the answer: models a response lost after the server committed, the one case where a
   * blind retry pays twice. Default false: the request has no effect at all.
   */
  afterProcessing?: boolean;
}

// One stream per concern (see SeededDecider.reseed); new ones go at the end.
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

/** Makes every random decision of the fake, reproducibly from `options.seed`, and holds scripted faults. */
export class FaultDecider extends SeededDecider<Stream, ScriptedFault> {
  constructor(seed: number) {
    super(STREAMS, seed);
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
