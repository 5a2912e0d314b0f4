import { PixlockError } from '../../errors.js';
import { isRecord } from '../../util/is-record.js';
import type { FinalStatus, TaskStatus } from '../image-provider.js';
import type { BatchLookup } from './batch-lookup.js';
import { isFileName, parseBatchTask } from './batch-names.js';
import type { GeminiClient } from './gemini-client.js';
import { statusOfAnswer } from './gemini-answer.js';
import { callGemini, type GeminiAnswer } from './gemini-http.js';
import { readAnswer, type ReadAnswer } from './read-answer.js';
import { readResponsesFile } from './responses-file.js';

/** One request's answer in a finished batch: its response, or the error in its place. */
type Outcome = { answer: ReadAnswer } | { error: { message: string; code?: string } };

/** A finished batch's answers by request key, or why they cannot be told apart. */
type Results = Map<string, Outcome> | { unmatched: string };

/** A batch that was listed nowhere this long after pixlock named it was never submitted. */
export const LOOKUP_GRACE_MS = 120_000;
/** A done inline batch carries its image in its operation. */
const MAX_OPERATION_BYTES = 128 * 1024 * 1024;
const RUNNING = new Set(['BATCH_STATE_PENDING', 'BATCH_STATE_RUNNING', 'BATCH_STATE_UNSPECIFIED']);

/**
 * Answers polls of batch tasks (`<batch>#<key>`). Tasks of one batch share its GET (one in
 * flight, reused for `shareMs`) and, once it succeeded, one read of its answers, from which
 * each task takes its own by key and lets go of it. A task recorded under a display name is
 * found by listing the account's batches; one listed nowhere `LOOKUP_GRACE_MS` after it was
 * named was never submitted (the run was killed first): PROVIDER_TASK_LOST, and the next run
 * creates it. A batch that failed, expired or was cancelled fails its tasks (nothing was
 * charged for them); a request's own error fails only its image.
 */
export class BatchWatch {
  private readonly gets = new Map<string, { at: number; answer: Promise<GeminiAnswer> }>();
  private readonly results = new Map<string, Promise<Results>>();

  constructor(
    private readonly client: GeminiClient,
    private readonly lookup: BatchLookup,
    private readonly shareMs: number,
  ) {}

  /** How task `taskId` is doing; `price` is what its image is counted at. */
  async status(
    taskId: string,
    imageId: string,
    price: number,
    signal: AbortSignal,
  ): Promise<TaskStatus> {
    const task = parseBatchTask(taskId);
    if (!task) {
      throw new PixlockError(
        'PROVIDER_TASK_LOST',
        `${imageId}: ${taskId.slice(0, 200)} is no gemini batch task`,
      );
    }
    const name = 'batch' in task ? task.batch : await this.nameOf(task, imageId, signal);
    const op = await this.get(name, imageId, signal);
    const metadata = isRecord(op.body.metadata) ? op.body.metadata : {};
    const state = typeof metadata.state === 'string' ? metadata.state : 'BATCH_STATE_UNSPECIFIED';
    if (RUNNING.has(state)) return { state: 'pending' };
    if (state !== 'BATCH_STATE_SUCCEEDED') {
      const error = isRecord(op.body.error) ? op.body.error : {};
      const why = typeof error.message === 'string' ? `: ${error.message}` : '';
      return { state: 'failed', code: state, message: `batch ${name} ended ${state}${why}` };
    }
    let results = this.results.get(name);
    if (!results) {
      results = this.read(name, op, imageId, signal);
      this.results.set(name, results);
      // A failed read (a cut-off file) is tried again on the next poll.
      results.catch(() => this.results.delete(name));
    }
    const found = await results;
    if (!(found instanceof Map))
      return { state: 'failed', code: 'UNMATCHED', message: found.unmatched };
    const outcome = found.get(task.key);
    if (!outcome) {
      return { state: 'failed', message: `batch ${name} holds no answer for request ${task.key}` };
    }
    found.delete(task.key);
    if (found.size === 0) {
      // Every answer taken: the batch's operation (an inline image) and answers go.
      this.results.delete(name);
      this.gets.delete(name);
    }
    if ('error' in outcome) {
      return {
        state: 'failed',
        ...(outcome.error.code !== undefined && { code: outcome.error.code }),
        message: `its request in batch ${name} failed: ${outcome.error.message}`,
      };
    }
    return statusOfAnswer(outcome.answer, price) satisfies FinalStatus;
  }

  private async nameOf(
    task: { displayName: string; namedAt: number },
    imageId: string,
    signal: AbortSignal,
  ): Promise<string> {
    const found = await this.lookup.find(task.displayName, imageId, signal);
    if (found) return found;
    const age = this.client.deps.clock.now().getTime() - task.namedAt;
    if (age < LOOKUP_GRACE_MS) {
      throw new PixlockError(
        'PROVIDER_UNAVAILABLE',
        `${imageId}: batch job ${task.displayName} is not listed yet`,
      );
    }
    throw new PixlockError(
      'PROVIDER_TASK_LOST',
      `${imageId}: batch job ${task.displayName} was never submitted (the run that named it ended first)`,
    );
  }

  private get(name: string, imageId: string, signal: AbortSignal): Promise<GeminiAnswer> {
    const now = this.client.deps.clock.now().getTime();
    const shared = this.gets.get(name);
    if (shared && now - shared.at <= this.shareMs) return shared.answer;
    const { client } = this;
    const answer = callGemini(
      {
        imageId,
        what: 'batches.get',
        notFound: 'PROVIDER_TASK_LOST',
        method: 'GET',
        url: client.url(name),
        paid: false,
        signal,
        maxAnswerBytes: MAX_OPERATION_BYTES,
        timeoutMs: client.transferTimeoutMs,
      },
      // One try: the engine's poll loop retries with its own schedule and deadline.
      { ...client.http, retry: { ...client.http.retry, attempts: 1 } },
      client.deps,
    );
    this.gets.set(name, { at: now, answer });
    answer.catch(() => this.gets.delete(name));
    return answer;
  }

  /** A succeeded batch's answers, by key: inline (one per pixlock batch) or its JSONL file. */
  private async read(
    name: string,
    op: GeminiAnswer,
    imageId: string,
    signal: AbortSignal,
  ): Promise<Results> {
    const metadata = isRecord(op.body.metadata) ? op.body.metadata : {};
    const output = isRecord(metadata.output)
      ? metadata.output
      : isRecord(op.body.response)
        ? op.body.response
        : {};
    const file = output.responsesFile;
    if (isFileName(file)) {
      const found = new Map<string, Outcome>();
      await readResponsesFile(this.client, file, imageId, signal, (line) => {
        if (line.trim() === '') return;
        const parsed = readAnswer(line, this.client.http.apiKey);
        const key = parsed?.body.key;
        if (!parsed || typeof key !== 'string') {
          throw new PixlockError(
            'PROVIDER_UNAVAILABLE',
            `${imageId}: the responses file of ${name} has an unreadable line`,
          );
        }
        if (found.has(key)) {
          // Two answers for one request: neither can be trusted to be its own.
          found.set(key, {
            error: { message: `two answers for request ${key}`, code: 'UNMATCHED' },
          });
          return;
        }
        found.set(key, outcomeOf(parsed.body, parsed));
      });
      return found;
    }
    const inlined = isRecord(output.inlinedResponses)
      ? output.inlinedResponses.inlinedResponses
      : undefined;
    const list = Array.isArray(inlined) ? inlined.filter(isRecord) : [];
    const keyOf = (r: Record<string, unknown>) =>
      isRecord(r.metadata) && typeof r.metadata.key === 'string' ? r.metadata.key : undefined;
    if (list.length === 1 && (keyOf(list[0]!) ?? '0') === '0') {
      return new Map([['0', outcomeOf(list[0]!, op)]]);
    }
    // Several inline answers (no batch of pixlock's): only keys echoed by every one can match
    // them; order alone is reported unreliable, and a swap would put one image in another's place.
    const keys = list.map(keyOf);
    if (
      list.length === 0 ||
      keys.some((k) => k === undefined) ||
      new Set(keys).size !== keys.length
    ) {
      return {
        unmatched: `batch ${name} answered ${list.length} inline responses that cannot be matched to their requests by key`,
      };
    }
    return new Map(list.map((r, i) => [keys[i]!, outcomeOf(r, op)]));
  }
}

/** One request's answer: `{response}` or `{error: google.rpc.Status}`. */
function outcomeOf(entry: Record<string, unknown>, within: ReadAnswer): Outcome {
  if (isRecord(entry.response)) return { answer: { ...within, body: entry.response } };
  const error = isRecord(entry.error) ? entry.error : {};
  const message = typeof error.message === 'string' ? error.message : 'no response and no reason';
  const code =
    typeof error.code === 'number' || typeof error.code === 'string'
      ? String(error.code)
      : undefined;
  return { error: { message, ...(code !== undefined && { code }) } };
}
