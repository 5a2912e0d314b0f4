import { createPrng } from './create-prng.js';

/** The element of `list` a draw `u` in [0, 1) falls on: an even pick. */
export const pick = <T>(list: readonly T[], u: number): T => list[Math.floor(u * list.length)] as T;

/**
 * What every fake's fault decider is made of: one seeded stream per concern, and a queue of
 * one-shot scripted faults. A fake extends it with its own decisions, each drawing from the
 * stream of its concern.
 */
export class SeededDecider<Stream extends string, Fault extends { route: string }> {
  private readonly names: readonly Stream[];
  private readonly streams = new Map<Stream, () => number>();
  private readonly scripted: Fault[] = [];

  /**
   * `streams` in a fixed order: a stream's sequence depends on its place, so a new concern
   * goes at the end to keep the others (and the tests seeded on them) as they were.
   */
  constructor(streams: readonly Stream[], seed: number) {
    this.names = streams;
    this.reseed(seed);
  }

  /**
   * Restarts every stream from `seed`. Distinct streams per concern, so e.g. how often a client
   * polls (which depends on timing) cannot shift which creates fail: the same sequence of
   * requests meets the same faults on every run.
   */
  reseed(seed: number): void {
    this.names.forEach((name, i) => this.streams.set(name, createPrng(seed * 31 + i * 0x9e3779b9)));
  }

  /** The next float in [0, 1) of one stream. */
  protected draw(stream: Stream): number {
    return (this.streams.get(stream) as () => number)();
  }

  /** Queues a one-shot fault; faults for one route are used in the order they were queued. */
  inject(fault: Fault): void {
    this.scripted.push({ ...fault });
  }

  /** Removes and returns the next scripted fault for `route`, if any. */
  takeScripted(route: Fault['route']): Fault | undefined {
    const index = this.scripted.findIndex((f) => f.route === route);
    return index === -1 ? undefined : this.scripted.splice(index, 1)[0];
  }
}
