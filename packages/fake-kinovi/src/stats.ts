/**
 * Live counters, updated in place as requests arrive, so a test can assert on calls and money.
 * Read fields directly (`kinovi.stats.creates`); spread it for a snapshot.
 */
export interface FakeKinoviStats {
  /** Every POST /jobs/createTask that reached the server, whatever its answer. */
  createCalls: number;
  /** Creates accepted: a task exists and its credits were reserved. */
  creates: number;
  /** Creates answered 400 (invalid JSON or parameters). */
  creates400: number;
  /** Creates answered 401 (missing, unknown, inactive or expired key). */
  creates401: number;
  /** Creates answered 402 (insufficient credits). */
  creates402: number;
  /** Creates answered 403 (API access not enabled). */
  creates403: number;
  /** Creates answered 429 (over the concurrency limit, random or scripted). */
  creates429: number;
  /** Creates answered 5xx (random or scripted). */
  creates5xx: number;
  /** Creates whose socket was dropped or truncated by a scripted fault. */
  createsDropped: number;
  /** Every GET /jobs/recordInfo, whatever its answer. */
  polls: number;
  /** Polls answered 5xx or dropped by a fault. */
  pollFaults: number;
  /** Every GET of a generated output under /files, whatever its answer. */
  downloads: number;
  /** Downloads that got a fault (404, truncation, HTML page, scripted). */
  downloadFaults: number;
  /** Files uploaded through POST /uploads + PUT. */
  uploads: number;
  /** Tasks that ended in `success`. */
  succeeded: number;
  /** Tasks that ended in `fail`. */
  failed: number;
  /** Credits reserved by accepted creates minus refunds: what the account really paid. */
  creditsCharged: number;
  /** Credits given back for failed tasks. */
  creditsRefunded: number;
  /** Current balance of the wallet. */
  creditsAvailable: number;
  /** Tasks currently in waiting|generating, all accounts together. */
  inFlight: number;
  /** Peak of {@link inFlight} since start. */
  maxInFlight: number;
  /** Accepted creates per prompt: each image paid exactly once shows as 1. */
  createsByPrompt: Record<string, number>;
  /** Epoch ms of the first accepted create; null before one. */
  firstCreateAt: number | null;
  /** Epoch ms of the last task completion (success or fail); null before one. */
  lastCompletionAt: number | null;
  /** Per task id, the reference URLs it was created with (`imageUrls` and `uploadedUrls`, merged). */
  referencesByTask: Record<string, string[]>;
}

/**
 * Server-side makespan: first accepted create to last task completed, in ms; undefined
 * before a task completed. What a bench compares runners by, free of client-side timing.
 */
export function makespanMs(s: FakeKinoviStats): number | undefined {
  return s.firstCreateAt === null || s.lastCompletionAt === null
    ? undefined
    : s.lastCompletionAt - s.firstCreateAt;
}

/** A zeroed stats object. */
export function createStats(credits: number): FakeKinoviStats {
  return {
    createCalls: 0,
    creates: 0,
    creates400: 0,
    creates401: 0,
    creates402: 0,
    creates403: 0,
    creates429: 0,
    creates5xx: 0,
    createsDropped: 0,
    polls: 0,
    pollFaults: 0,
    downloads: 0,
    downloadFaults: 0,
    uploads: 0,
    succeeded: 0,
    failed: 0,
    creditsCharged: 0,
    creditsRefunded: 0,
    creditsAvailable: credits,
    inFlight: 0,
    maxInFlight: 0,
    // No prototype, so a prompt like "__proto__" or "constructor" is counted like any other.
    createsByPrompt: Object.create(null) as Record<string, number>,
    firstCreateAt: null,
    lastCompletionAt: null,
    referencesByTask: Object.create(null) as Record<string, string[]>,
  };
}

/** One line for logs and the bin's exit summary. */
export function formatStats(s: FakeKinoviStats): string {
  return (
    `creates ${s.creates}/${s.createCalls} calls (400:${s.creates400} 401:${s.creates401} ` +
    `402:${s.creates402} 403:${s.creates403} 429:${s.creates429} 5xx:${s.creates5xx} ` +
    `dropped:${s.createsDropped}), succeeded ${s.succeeded}, failed ${s.failed}, ` +
    `polls ${s.polls} (faults ${s.pollFaults}), downloads ${s.downloads} ` +
    `(faults ${s.downloadFaults}), credits charged ${s.creditsCharged} ` +
    `(refunded ${s.creditsRefunded}, left ${s.creditsAvailable}), max in flight ${s.maxInFlight}, ` +
    `makespan ${makespanMs(s) ?? '-'} ms`
  );
}
