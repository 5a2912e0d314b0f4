import type { IncomingHttpHeaders } from 'node:http';
import { googleError } from './google-error.js';
import { KEY_MARK } from './hostile-answers.js';
import type { FakeGeminiOptions } from './options.js';
import type { Reply } from '@pixlock/fake-http-kit';

/** The API key a request carries, and whether it came in the URL (which a client must avoid). */
export interface PresentedKey {
  key: string | undefined;
  inQuery: boolean;
}

/** The key from `x-goog-api-key`, else from `?key=` (Google accepts both). */
export function presentedKey(headers: IncomingHttpHeaders, url: URL): PresentedKey {
  const header = headers['x-goog-api-key'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader) return { key: fromHeader, inQuery: false };
  const fromQuery = url.searchParams.get('key');
  return fromQuery ? { key: fromQuery, inQuery: true } : { key: undefined, inQuery: false };
}

const SERVICE = 'generativelanguage.googleapis.com';

/**
 * The account (index in `apiKeys`) behind a key, or Google's answer: 403 without a key, 400
 * API_KEY_INVALID for an unknown one, 403 for a key whose project may not use the API.
 */
export function authenticate(
  key: string | undefined,
  o: FakeGeminiOptions,
): { account: number } | Reply {
  if (!key) {
    return googleError(
      403,
      "Method doesn't allow unregistered callers (callers without established identity). " +
        'Please use API Key or other form of API consumer identity to call this API.',
    );
  }
  if (o.deniedKeys.includes(key)) {
    return googleError(
      403,
      `${SERVICE} has not been used in this project before or it is disabled.`,
      [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'SERVICE_DISABLED',
          domain: 'googleapis.com',
          metadata: { service: SERVICE },
        },
      ],
    );
  }
  const account = o.apiKeys.indexOf(key);
  if (account !== -1) return { account };
  const message = 'API key not valid. Please pass a valid API key.';
  const details: Record<string, unknown>[] = [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'API_KEY_INVALID',
      domain: 'googleapis.com',
      metadata: { service: SERVICE },
    },
    { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
  ];
  // Google was seen quoting the bad key back (docs/gemini-api.md, "bad key"); the mark becomes
  // the key itself when the answer is written.
  if (o.echoKey === 'debug-info') {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.DebugInfo',
      detail: `Invalid API key: ${KEY_MARK}`,
    });
  }
  return googleError(400, message, details);
}

/** True when {@link authenticate} let the request through. */
export const isAccount = (v: { account: number } | Reply): v is { account: number } =>
  'account' in v;
