import type { FakeGeminiOptions } from './options.js';
import { LIE_KINDS, type LieKind } from './lie-kinds.js';
import type { FaultRoute, ScriptedFault } from './scripted-fault.js';

// Kept importable from here, where they were first declared.
export { LIE_KINDS, type LieKind } from './lie-kinds.js';

/** A small seedable PRNG (mulberry32): floats in [0, 1), the same sequence for the same seed. */
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

// One stream per concern, so how often a client polls (which depends on timing) cannot shift
// which generate calls fail: the same sequence of calls meets the same faults on every run.
const STREAMS = ['generate', 'answer', 'batch', 'poll', 'download', 'jitter'] as const;
type Stream = (typeof STREAMS)[number];

/** What happens to a generateContent before it is processed. */
export type GenerateFault = 'none' | '429' | '500' | '503' | 'reset';
/** What happens to a processed generateContent on its way back. */
export type AnswerFault = 'none' | 'reset-after' | 'truncate-after';
/** What the model makes of a processed request. */
export type Fate = 'image' | 'lie' | 'no-image' | 'prompt-blocked' | 'image-safety';
/** What happens to a batch GET or a file download. */
export type TransportFault = 'none' | '500' | '503' | '429' | 'reset' | 'html' | 'truncate';

const POLL_MIX: readonly TransportFault[] = ['500', '503', '429', 'reset', 'html'];
const DOWNLOAD_MIX: readonly TransportFault[] = ['500', 'reset', 'truncate', 'html'];
const pick = <T>(list: readonly T[], u: number): T => list[Math.floor(u * list.length)] as T;

/** Makes every random decision of the fake, reproducibly from the seed, and holds scripted faults. */
export class FaultDecider {
  private readonly streams = new Map<Stream, () => number>();
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

  /** Queues a one-shot fault; faults for one route are used in the order queued. */
  inject(fault: ScriptedFault): void {
    this.scripted.push({ ...fault });
  }

  /** Removes and returns the next scripted fault for `route`, if any. */
  takeScripted(route: FaultRoute): ScriptedFault | undefined {
    const index = this.scripted.findIndex((f) => f.route === route);
    return index === -1 ? undefined : this.scripted.splice(index, 1)[0];
  }

  /** Every draw happens on every call, so the stream stays aligned whatever the outcome. */
  generateFault(o: FakeGeminiOptions): GenerateFault {
    const [u429, u500, u503, uReset] = [0, 0, 0, 0].map(() => this.draw('generate')) as number[];
    if ((uReset as number) < o.resetRate) return 'reset';
    if ((u500 as number) < o.rate500) return '500';
    if ((u503 as number) < o.rate503) return '503';
    return (u429 as number) < o.rate429 ? '429' : 'none';
  }

  /** Decided once the request is processed (and charged). */
  answerFault(o: FakeGeminiOptions): AnswerFault {
    const uReset = this.draw('generate');
    const uTruncate = this.draw('generate');
    if (uReset < o.resetAfterRate) return 'reset-after';
    return uTruncate < o.truncateAfterRate ? 'truncate-after' : 'none';
  }

  /** What the model does with a prompt; triggers in the prompt win over the rates. */
  fate(o: FakeGeminiOptions, prompt: string): { fate: Fate; lie: LieKind } {
    const u = [0, 0, 0, 0, 0].map(() => this.draw('answer')) as number[];
    const lie = pick(LIE_KINDS, u[4] as number);
    if (prompt.includes(o.blockTrigger)) return { fate: 'prompt-blocked', lie };
    if (prompt.includes(o.imageSafetyTrigger)) return { fate: 'image-safety', lie };
    if ((u[0] as number) < o.promptBlockRate) return { fate: 'prompt-blocked', lie };
    if ((u[1] as number) < o.imageSafetyRate) return { fate: 'image-safety', lie };
    if ((u[2] as number) < o.noImageRate) return { fate: 'no-image', lie };
    return { fate: (u[3] as number) < o.lieRate ? 'lie' : 'image', lie };
  }

  /** True when one request of a batch should end with an error. */
  batchRequestFails(o: FakeGeminiOptions): boolean {
    return this.draw('batch') < o.batchRequestFailRate;
  }

  /** How a whole batch ends, decided when it is created. */
  batchEnd(
    o: FakeGeminiOptions,
  ): 'BATCH_STATE_SUCCEEDED' | 'BATCH_STATE_FAILED' | 'BATCH_STATE_EXPIRED' {
    const uFail = this.draw('batch');
    const uExpire = this.draw('batch');
    if (uFail < o.batchFailRate) return 'BATCH_STATE_FAILED';
    return uExpire < o.batchExpireRate ? 'BATCH_STATE_EXPIRED' : 'BATCH_STATE_SUCCEEDED';
  }

  /** A seeded permutation of `0..n-1` for shuffled inline responses. */
  permutation(n: number): number[] {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.draw('batch') * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    return order;
  }

  /** What a batch GET suffers. */
  pollFault(o: FakeGeminiOptions): TransportFault {
    const u = this.draw('poll');
    const kind = this.draw('poll');
    return u < o.pollFaultRate ? pick(POLL_MIX, kind) : 'none';
  }

  /** What a file download suffers. */
  downloadFault(o: FakeGeminiOptions): TransportFault {
    const u = this.draw('download');
    const kind = this.draw('download');
    return u < o.downloadFaultRate ? pick(DOWNLOAD_MIX, kind) : 'none';
  }

  /** Extra milliseconds for one call or batch phase. */
  jitter(o: FakeGeminiOptions): number {
    const u = this.draw('jitter');
    return o.jitterMs > 0 ? Math.floor(u * o.jitterMs) : 0;
  }
}
