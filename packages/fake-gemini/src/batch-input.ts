import type { FileStore } from './file-store.js';
import { googleError, invalidArgument } from './google-error.js';
import { field, isRecord, unknownField } from './proto-json.js';
import type { Reply } from '@pixlock/fake-http-kit';

/** One request of a batch as submitted; its body is validated only when the batch runs. */
export interface BatchEntry {
  /** The `key` of a JSONL line (file input). */
  key?: string;
  /** The `metadata` of an inline request. */
  metadata?: Record<string, unknown>;
  /** The GenerateContentRequest as sent. */
  request: unknown;
}

/** A batchGenerateContent body that passed validation. */
export interface BatchInput {
  displayName: string;
  source: 'inline' | 'file';
  /** `files/<id>` for file input. */
  inputFile?: string;
  entries: BatchEntry[];
}

type Parsed = { ok: true; input: BatchInput } | { ok: false; reply: Reply };
const fail = (reply: Reply): Parsed => ({ ok: false, reply });

const BATCH = ['displayName', 'inputConfig', 'priority', 'name', 'model', 'webhookConfig'];

function inlineEntries(requests: unknown): BatchEntry[] | Reply {
  const list = isRecord(requests) ? field(requests, 'requests') : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    return invalidArgument(
      'batch.input_config.requests.requests',
      'at least one request is needed',
    );
  }
  const entries: BatchEntry[] = [];
  for (const [i, item] of list.entries()) {
    const request = isRecord(item) ? field(item, 'request') : undefined;
    if (!isRecord(request)) {
      return invalidArgument(`batch.input_config.requests.requests[${i}].request`, 'required');
    }
    const metadata = field(item as Record<string, unknown>, 'metadata');
    entries.push(isRecord(metadata) ? { request, metadata } : { request });
  }
  return entries;
}

function fileEntries(files: FileStore, account: number, name: string): BatchEntry[] | Reply {
  const file = files.get(name);
  if (!file || file.account !== account) {
    return googleError(400, `Input file ${name} was not found or is not accessible.`);
  }
  const entries: BatchEntry[] = [];
  const lines = file.bytes.toString('utf8').split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return googleError(400, `Input file ${name}: line ${i + 1} is not valid JSON.`);
    }
    const request = isRecord(parsed) ? field(parsed, 'request') : undefined;
    if (!isRecord(request)) {
      return googleError(400, `Input file ${name}: line ${i + 1} has no "request" object.`);
    }
    const key = (parsed as Record<string, unknown>).key;
    entries.push(typeof key === 'string' ? { key, request } : { request });
  }
  if (entries.length === 0) return googleError(400, `Input file ${name} holds no requests.`);
  return entries;
}

/** Validates `{batch: {displayName, inputConfig: {requests} | {fileName}}}`. */
export function parseBatchCreate(body: unknown, files: FileStore, account: number): Parsed {
  const batch = isRecord(body) ? field(body, 'batch') : undefined;
  if (!isRecord(batch)) return fail(invalidArgument('batch', 'required'));
  const stray = unknownField(batch, BATCH, 'batch');
  if (stray) return fail(stray);
  const config = field(batch, 'inputConfig');
  if (!isRecord(config)) return fail(invalidArgument('batch.input_config', 'required'));
  const requests = field(config, 'requests');
  const fileName = field(config, 'fileName');
  if ((requests === undefined) === (fileName === undefined)) {
    return fail(invalidArgument('batch.input_config', 'exactly one of requests or file_name'));
  }
  const displayName = String(field(batch, 'displayName') ?? '');
  if (typeof fileName === 'string') {
    const entries = fileEntries(files, account, fileName);
    if (!Array.isArray(entries)) return fail(entries);
    return { ok: true, input: { displayName, source: 'file', inputFile: fileName, entries } };
  }
  if (fileName !== undefined)
    return fail(invalidArgument('batch.input_config.file_name', 'a string'));
  const entries = inlineEntries(requests);
  if (!Array.isArray(entries)) return fail(entries);
  return { ok: true, input: { displayName, source: 'inline', entries } };
}
