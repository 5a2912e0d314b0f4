import type { Clock } from '../../util/clock.js';

/** One item waiting in a {@link Gatherer}, and how to answer its caller. */
export interface Member<T, R> {
  item: T;
  signal: AbortSignal;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/** Options of {@link Gatherer}. */
export interface GathererOptions<T, R> {
  clock: Pick<Clock, 'now' | 'sleep'>;
  /** A group closes once nothing joined it for this long... */
  quietMs: number;
  /** ... or this long after it opened ... */
  maxMs: number;
  /** ... or at once when it is full. */
  full(items: readonly T[]): boolean;
  /** Handles a closed group; must answer every member. */
  submit(members: Member<T, R>[]): Promise<void>;
}

/**
 * Gathers items that arrive one by one (the engine creates per image) into groups handled
 * together (one batch job): a group closes when no item joined it for `quietMs`, `maxMs`
 * after it opened, or when full; the next item opens a new group. Timed on the injected
 * clock. A member whose signal aborts before its group closes leaves it (rejected with the
 * signal's reason); once closed, a group is the submitter's to answer.
 */
export class Gatherer<T, R> {
  private open:
    | { members: Member<T, R>[]; openedAt: number; lastAt: number; wake: AbortController }
    | undefined;

  constructor(private readonly options: GathererOptions<T, R>) {}

  /** Adds `item` to the open group (opening one) and resolves with what the submitter gives it. */
  join(item: T, signal: AbortSignal): Promise<R> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<R>((resolve, reject) => {
      const now = this.options.clock.now().getTime();
      let group = this.open;
      if (!group) {
        group = { members: [], openedAt: now, lastAt: now, wake: new AbortController() };
        this.open = group;
        void this.run(group);
      }
      const member: Member<T, R> = { item, signal, resolve, reject };
      const onAbort = () => {
        const at = group.members.indexOf(member);
        if (at < 0 || this.open !== group) return;
        group.members.splice(at, 1);
        reject(signal.reason);
        if (group.members.length === 0) group.wake.abort();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      member.resolve = (r) => (signal.removeEventListener('abort', onAbort), resolve(r));
      member.reject = (e) => (signal.removeEventListener('abort', onAbort), reject(e));
      group.members.push(member);
      group.lastAt = now;
      if (this.options.full(group.members.map((m) => m.item))) {
        // Closed now: the next item opens a new group rather than overfill this one.
        this.open = undefined;
        group.wake.abort();
      }
    });
  }

  private async run(group: NonNullable<Gatherer<T, R>['open']>): Promise<void> {
    const { clock, quietMs, maxMs } = this.options;
    while (!group.wake.signal.aborted) {
      const due = Math.min(group.lastAt + quietMs, group.openedAt + maxMs);
      const wait = due - clock.now().getTime();
      if (wait <= 0) break;
      await clock.sleep(wait, group.wake.signal).catch(() => {});
    }
    if (this.open === group) this.open = undefined;
    const members = group.members;
    if (members.length === 0) return;
    try {
      await this.options.submit(members);
    } catch (error) {
      for (const m of members) m.reject(error);
    }
  }
}
