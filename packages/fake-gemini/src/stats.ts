/**
 * Live counters, updated in place as requests arrive, so a test can assert on calls and money
 * ("each image paid once"). Read fields directly; spread for a snapshot. Keys are never
 * recorded: accounts are indexes into `apiKeys`.
 */
export interface FakeGeminiStats {
  /** Every POST :generateContent that reached the server, whatever its answer. */
  generateCalls: number;
  /** generateContent calls the model processed: charged, whether or not the answer arrived. */
  generatesProcessed: number;
  /** generateContent answered 400 (bad body, bad key, size or ratio the model refuses). */
  generates400: number;
  /** generateContent answered 403 (no key, or a key whose project may not use the API). */
  generates403: number;
  /** generateContent answered 404 (unknown model). */
  generates404: number;
  /** generateContent answered 429 (concurrency limit, random or scripted). */
  generates429: number;
  /** generateContent answered 5xx (random or scripted). */
  generates5xx: number;
  /** generateContent whose connection was reset or cut by a fault (before or after processing). */
  generatesDropped: number;
  /** Processed generations whose answer carried no image: blocked prompt, IMAGE_SAFETY, text only. */
  safetyBlocks: number;
  /** Processed generations whose image part lied (not an image, wrong type, truncated). */
  lies: number;
  /** Requests that carried the key in the URL (`?key=`) rather than the header. */
  keysInQuery: number;
  /** generateContent calls in progress, all keys together, and the peak since start. */
  inFlight: number;
  maxInFlight: number;
  /** Batches created (accepted by batchGenerateContent). */
  batchesCreated: number;
  /** Every GET batches/{id}. */
  batchPolls: number;
  /** Batch GETs that a fault answered. */
  pollFaults: number;
  /** Batches cancelled while pending or running. */
  batchesCancelled: number;
  /** Batch requests that produced an image and were charged, all batches together. */
  batchRequestsCharged: number;
  /** Per batch name, its requests charged. */
  chargedByBatch: Record<string, number>;
  /** Resumable uploads started (before any fault answers them). */
  uploadsStarted: number;
  /** Files uploaded (finalized) and files downloaded (answered 200, faults included). */
  uploads: number;
  downloads: number;
  downloadFaults: number;
  /**
   * Per prompt, images paid for in either mode (a processed generateContent with an image part,
   * lies included, or a charged batch request): each image paid once shows as 1.
   */
  paidByPrompt: Record<string, number>;
  /** Per account index, images paid for. */
  paidByAccount: Record<string, number>;
  /** USD charged at the fake's price table (batch at half). */
  usdCharged: number;
}

/** A zeroed stats object. */
export function createStats(): FakeGeminiStats {
  // No prototype, so a prompt like "__proto__" is counted like any other.
  const map = () => Object.create(null) as Record<string, number>;
  return {
    generateCalls: 0,
    generatesProcessed: 0,
    generates400: 0,
    generates403: 0,
    generates404: 0,
    generates429: 0,
    generates5xx: 0,
    generatesDropped: 0,
    safetyBlocks: 0,
    lies: 0,
    keysInQuery: 0,
    inFlight: 0,
    maxInFlight: 0,
    batchesCreated: 0,
    batchPolls: 0,
    pollFaults: 0,
    batchesCancelled: 0,
    batchRequestsCharged: 0,
    chargedByBatch: map(),
    uploadsStarted: 0,
    uploads: 0,
    downloads: 0,
    downloadFaults: 0,
    paidByPrompt: map(),
    paidByAccount: map(),
    usdCharged: 0,
  };
}

/** Records one paid image. */
export function charge(s: FakeGeminiStats, prompt: string, account: number, usd: number): void {
  s.paidByPrompt[prompt] = (s.paidByPrompt[prompt] ?? 0) + 1;
  s.paidByAccount[String(account)] = (s.paidByAccount[String(account)] ?? 0) + 1;
  // Rounded to micro-dollars so sums of prices compare exactly in tests.
  s.usdCharged = Math.round((s.usdCharged + usd) * 1e6) / 1e6;
}

/** One line for logs and the bin's exit summary. */
export function formatStats(s: FakeGeminiStats): string {
  const paid = Object.values(s.paidByPrompt).reduce((a, b) => a + b, 0);
  return (
    `generate ${s.generatesProcessed}/${s.generateCalls} processed (400:${s.generates400} ` +
    `403:${s.generates403} 404:${s.generates404} 429:${s.generates429} 5xx:${s.generates5xx} ` +
    `dropped:${s.generatesDropped}, blocked:${s.safetyBlocks}, lies:${s.lies}), ` +
    `batches ${s.batchesCreated} (${s.batchRequestsCharged} requests charged, polls ${s.batchPolls}, ` +
    `faults ${s.pollFaults}, cancelled ${s.batchesCancelled}), uploads ${s.uploads}, ` +
    `downloads ${s.downloads} (faults ${s.downloadFaults}), images paid ${paid}, ` +
    `USD ${s.usdCharged.toFixed(4)}, max in flight ${s.maxInFlight}`
  );
}
