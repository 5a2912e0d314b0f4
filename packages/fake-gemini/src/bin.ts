#!/usr/bin/env node
import { runFakeBin } from '@pixlock/fake-http-kit';
import { startFakeGemini } from './fake-gemini-server.js';
import type { FakeGeminiOptions } from './options.js';
import { formatStats } from './stats.js';

const USAGE = `usage: fake-gemini [options]

Runs a fake Gemini API (image generateContent, Batch mode, Files) on loopback, so pixlock's
gemini provider can be tried without a key. Point GOOGLE_GEMINI_BASE_URL at the URL it prints.

  --port <n>                  port (default 8788; 0 picks a free one)
  --host <addr>               interface (default 127.0.0.1)
  --key <key>                 accepted API key, repeatable (default test-key)
  --denied-key <key>          a valid key whose project may not use the API (403), repeatable
  --model <id>                served model id, repeatable (default: every known image model)
  --latency <ms>              time a generateContent call takes (default 2000)
  --jitter <ms>               up to this much extra time per call or batch phase
  --limit <n>                 generateContent calls in progress per key before 429 (default 10)
  --retry-delay <s>           the RetryInfo delay 429s ask for (default 1; --retry-delay=-1
                              sends none)
  --batch-queue <ms>          time a batch stays pending (default 2000)
  --batch-run <ms>            time a batch stays running (default 5000)
  --rate-429 <p>              probability a generateContent answers 429 (not charged)
  --rate-500 <p>              probability a generateContent answers 500 (not charged)
  --rate-503 <p>              probability a generateContent answers 503 (not charged)
  --reset-rate <p>            probability a generateContent is reset before processing
  --reset-after-rate <p>      probability it is charged, then reset unanswered
  --truncate-after-rate <p>   probability it is charged, then its answer cut mid-body
  --lie-rate <p>              probability the image part lies (not an image, wrong type, cut)
  --no-image-rate <p>         probability the model answers text only
  --block-rate <p>            probability the prompt is blocked (blockReason SAFETY)
  --image-safety-rate <p>     probability the image is withheld (finishReason IMAGE_SAFETY)
  --batch-request-fail-rate <p>  probability one request of a batch ends with an error
  --batch-fail-rate <p>       probability a batch ends FAILED
  --batch-expire-rate <p>     probability a batch ends EXPIRED
  --shuffle-responses         inline batch responses come back shuffled
  --echo-metadata             inline batch responses echo their request's metadata
  --poll-fault-rate <p>       probability a batch GET fails (500, 503, 429, reset, HTML)
  --download-fault-rate <p>   probability a file download fails (500, reset, cut, HTML)
  --json-trickle <bytes/s>    send JSON answers this slowly after the headers
  --download-trickle <b/s>    send downloads this slowly after the headers
  --text-part                 add a text part before the image
  --thought-part              add a thought (interim) image before the answer
  --media-type <type>         image/png | image/jpeg (default image/png)
  --echo-key <form>           none | debug-info | raw | url-encoded (default debug-info)
  --hostile-text              error text carries ANSI escapes, CR/LF, BEL, bidi override
  --seed <n>                  seed for every random decision (default 1)
  -h, --help                  show this help
`;

const str = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;

await runFakeBin({
  name: 'fake-gemini',
  usage: USAGE,
  flags: {
    port: { type: 'string', default: '8788' },
    host: str,
    key: { type: 'string', multiple: true },
    'denied-key': { type: 'string', multiple: true },
    model: { type: 'string', multiple: true },
    latency: { type: 'string', default: '2000' },
    jitter: str,
    limit: str,
    'retry-delay': str,
    'batch-queue': { type: 'string', default: '2000' },
    'batch-run': { type: 'string', default: '5000' },
    ...Object.fromEntries(
      ['rate-429', 'rate-500', 'rate-503', 'reset-rate', 'reset-after-rate']
        .concat(['truncate-after-rate', 'lie-rate', 'no-image-rate', 'block-rate'])
        .concat(['image-safety-rate', 'batch-request-fail-rate', 'batch-fail-rate'])
        .concat(['batch-expire-rate', 'poll-fault-rate', 'download-fault-rate'])
        .concat(['json-trickle', 'download-trickle', 'media-type', 'echo-key', 'seed'])
        .map((name) => [name, str]),
    ),
    'shuffle-responses': flag,
    'echo-metadata': flag,
    'text-part': flag,
    'thought-part': flag,
    'hostile-text': flag,
  },
  options: (values, num) => {
    const retryDelay = num('retry-delay');
    return {
      port: num('port'),
      host: values.host,
      apiKeys: values.key,
      deniedKeys: values['denied-key'],
      models: values.model,
      generateLatencyMs: num('latency'),
      jitterMs: num('jitter'),
      concurrencyLimit: num('limit'),
      retryDelaySeconds: retryDelay === -1 ? null : retryDelay,
      batchQueueMs: num('batch-queue'),
      batchRunMs: num('batch-run'),
      rate429: num('rate-429'),
      rate500: num('rate-500'),
      rate503: num('rate-503'),
      resetRate: num('reset-rate'),
      resetAfterRate: num('reset-after-rate'),
      truncateAfterRate: num('truncate-after-rate'),
      lieRate: num('lie-rate'),
      noImageRate: num('no-image-rate'),
      promptBlockRate: num('block-rate'),
      imageSafetyRate: num('image-safety-rate'),
      batchRequestFailRate: num('batch-request-fail-rate'),
      batchFailRate: num('batch-fail-rate'),
      batchExpireRate: num('batch-expire-rate'),
      batchShuffleResponses: values['shuffle-responses'],
      echoInlineMetadata: values['echo-metadata'],
      pollFaultRate: num('poll-fault-rate'),
      downloadFaultRate: num('download-fault-rate'),
      jsonTrickleBytesPerSecond: num('json-trickle'),
      downloadTrickleBytesPerSecond: num('download-trickle'),
      textPart: values['text-part'],
      thoughtPart: values['thought-part'],
      mediaType: values['media-type'],
      echoKey: values['echo-key'],
      hostileText: values['hostile-text'],
      seed: num('seed'),
    };
  },
  start: (options: Partial<FakeGeminiOptions>) => startFakeGemini(options),
  // The keys printed are the ones chosen on the command line for a local fake, not secrets.
  listening: (gemini, options) =>
    `fake gemini listening: GOOGLE_GEMINI_BASE_URL=${gemini.baseUrl} (key: ${(options.apiKeys ?? ['test-key']).join(', ')})`,
  stopped: (gemini) => `fake gemini stopped: ${formatStats(gemini.stats)}`,
});
