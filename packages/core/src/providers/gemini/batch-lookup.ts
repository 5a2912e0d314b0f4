import { PixlockError } from '../../errors.js';
import { isRecord } from '../../util/is-record.js';
import type { GeminiClient } from './gemini-client.js';
import { callGemini } from './gemini-http.js';
import { BATCH_NAME_PREFIX, isBatchName } from './batch-names.js';

/** Operations per list page: a finished inline batch carries its images in its operation. */
const PAGE_SIZE = 20;
const MAX_PAGES = 500;
const MAX_PAGE_BYTES = 256 * 1024 * 1024;

/**
 * Finds a batch job by the display name pixlock gave it before submitting it: the way back to
 * a batch whose create answer was lost, or that a killed run submitted without learning its
 * name. Lists the account's batches (`GET batches`), page by page, remembering every pixlock
 * display name it sees; one listing at a time serves every caller waiting on it.
 */
export class BatchLookup {
  private readonly known = new Map<string, string>();
  private listing: Promise<void> | undefined;

  constructor(private readonly client: GeminiClient) {}

  /** Notes a batch submitted by this client. */
  remember(displayName: string, name: string): void {
    this.known.set(displayName, name);
  }

  /**
   * The batch's name, or undefined when the account lists none by that display name.
   * @throws PixlockError (PROVIDER_UNAVAILABLE, PROVIDER_AUTH, …) when the list cannot be read whole.
   */
  async find(
    displayName: string,
    imageId: string,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const known = this.known.get(displayName);
    if (known) return known;
    this.listing ??= this.list(imageId, signal).finally(() => (this.listing = undefined));
    await this.listing;
    return this.known.get(displayName);
  }

  private async list(imageId: string, signal: AbortSignal): Promise<void> {
    const { client } = this;
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = `pageSize=${PAGE_SIZE}${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`;
      const answer = await callGemini(
        {
          imageId,
          what: 'batches.list',
          method: 'GET',
          url: client.url(`batches?${query}`),
          paid: false,
          signal,
          maxAnswerBytes: MAX_PAGE_BYTES,
          timeoutMs: client.transferTimeoutMs,
        },
        client.http,
        client.deps,
      );
      const operations = Array.isArray(answer.body.operations) ? answer.body.operations : [];
      for (const op of operations.filter(isRecord)) {
        const metadata = isRecord(op.metadata) ? op.metadata : {};
        const displayName = metadata.displayName;
        if (
          isBatchName(op.name) &&
          typeof displayName === 'string' &&
          displayName.startsWith(BATCH_NAME_PREFIX)
        ) {
          this.known.set(displayName, op.name);
        }
      }
      const next = answer.body.nextPageToken;
      if (typeof next !== 'string' || next === '') return;
      token = next;
    }
    throw new PixlockError(
      'PROVIDER_UNAVAILABLE',
      `${imageId}: the account lists more than ${PAGE_SIZE * MAX_PAGES} batches; pixlock cannot tell whether its batch is among them`,
    );
  }
}
