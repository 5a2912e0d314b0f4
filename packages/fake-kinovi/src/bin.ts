#!/usr/bin/env node
import { runFakeBin } from '@pixlock/fake-http-kit';
import { startFakeKinovi } from './fake-kinovi-server.js';
import type { FakeKinoviOptions } from './options.js';
import { formatStats } from './stats.js';

const USAGE = `usage: fake-kinovi [options]

Runs a fake kinovi jobs API on loopback so pixlock can be tried without an account.

  --port <n>                 port (default 8787; 0 picks a free one)
  --host <addr>              interface (default 127.0.0.1)
  --key <key>                accepted API key, repeatable (default test-key)
  --queue <ms>               time a task stays waiting (default 500)
  --latency <ms>             time a task stays generating (default 3000)
  --jitter <ms>              up to this much extra time per phase (default 0)
  --limit <n>                tasks in progress per key before 429 (default 5)
  --retry-after <s>          send Retry-After on 429 answers
  --credits <n>              credit balance (default 100000)
  --rate-429 <p>             probability a create answers 429 anyway
  --rate-500 <p>             probability a create or poll answers 500
  --fail-rate <p>            probability a task ends in fail (refunded)
  --truncate-rate <p>        probability a download is cut short
  --html-rate <p>            probability a download is an HTML error page
  --download-404-rate <p>    probability a download answers 404
  --poll-fault-rate <p>      probability a poll fails (500, reset, bad JSON, HTML or 429)
  --poll-500-rate <p>        probability a poll answers 500
  --poll-reset-rate <p>      probability a poll's connection is reset
  --poll-malformed-rate <p>  probability a poll answers truncated JSON
  --poll-html-rate <p>       probability a poll answers an HTML page
  --poll-429-rate <p>        probability a poll answers 429
  --download-fault-rate <p>  probability a download fails (500, reset, truncated or HTML)
  --download-500-rate <p>    probability a download answers 500
  --download-reset-rate <p>  probability a download's connection is reset
  --json-trickle <bytes/s>   send API answers this slowly after the headers
  --download-trickle <b/s>   send downloads this slowly after the headers
  --echo-key <form>          error answers quote the key: raw | json-escaped |
                             url-encoded | partial | base64 (default none)
  --charge-per-task <n>      charge n credits per task and report them (overcharge)
  --report-credits=<n>       report creditsUsed n whatever was charged (a lying server;
                             write a negative n with =, e.g. --report-credits=-1000)
  --numeric-task-ids         task ids are integers above 2^53, sent as bare numbers
  --hostile-text             error text carries ANSI escapes, CR/LF, BEL, bidi override
  --envelope                 wrap answers as {code, message, data}
  --state-field <name>       status | state (default status)
  --task-id-field <name>     taskId | task_id (default taskId)
  --error-shape <shape>      object | string (default object)
  --media-type <type>        image/png | image/jpeg (default image/png)
  --reject-1k                answer 400 to resolution 1k
  --seed <n>                 seed for every random decision (default 1)
  -h, --help                 show this help
`;

await runFakeBin({
  name: 'fake-kinovi',
  usage: USAGE,
  flags: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string' },
    key: { type: 'string', multiple: true },
    queue: { type: 'string', default: '500' },
    latency: { type: 'string', default: '3000' },
    jitter: { type: 'string' },
    limit: { type: 'string' },
    'retry-after': { type: 'string' },
    credits: { type: 'string' },
    'rate-429': { type: 'string' },
    'rate-500': { type: 'string' },
    'fail-rate': { type: 'string' },
    'truncate-rate': { type: 'string' },
    'html-rate': { type: 'string' },
    'download-404-rate': { type: 'string' },
    'poll-fault-rate': { type: 'string' },
    'poll-500-rate': { type: 'string' },
    'poll-reset-rate': { type: 'string' },
    'poll-malformed-rate': { type: 'string' },
    'poll-html-rate': { type: 'string' },
    'poll-429-rate': { type: 'string' },
    'download-fault-rate': { type: 'string' },
    'download-500-rate': { type: 'string' },
    'download-reset-rate': { type: 'string' },
    'json-trickle': { type: 'string' },
    'download-trickle': { type: 'string' },
    'echo-key': { type: 'string' },
    'charge-per-task': { type: 'string' },
    'report-credits': { type: 'string' },
    'numeric-task-ids': { type: 'boolean' },
    'hostile-text': { type: 'boolean' },
    envelope: { type: 'boolean' },
    'state-field': { type: 'string' },
    'task-id-field': { type: 'string' },
    'error-shape': { type: 'string' },
    'media-type': { type: 'string' },
    'reject-1k': { type: 'boolean' },
    seed: { type: 'string' },
  },
  options: (values, num) => ({
    port: num('port'),
    host: values.host,
    apiKeys: values.key,
    queueMs: num('queue'),
    latencyMs: num('latency'),
    jitterMs: num('jitter'),
    concurrencyLimit: num('limit'),
    retryAfterSeconds: num('retry-after'),
    credits: num('credits'),
    rate429: num('rate-429'),
    rate500: num('rate-500'),
    failRate: num('fail-rate'),
    downloadTruncateRate: num('truncate-rate'),
    downloadHtmlRate: num('html-rate'),
    download404Rate: num('download-404-rate'),
    pollFaultRate: num('poll-fault-rate'),
    poll500Rate: num('poll-500-rate'),
    pollResetRate: num('poll-reset-rate'),
    pollMalformedRate: num('poll-malformed-rate'),
    pollHtmlRate: num('poll-html-rate'),
    poll429Rate: num('poll-429-rate'),
    downloadFaultRate: num('download-fault-rate'),
    download500Rate: num('download-500-rate'),
    downloadResetRate: num('download-reset-rate'),
    jsonTrickleBytesPerSecond: num('json-trickle'),
    downloadTrickleBytesPerSecond: num('download-trickle'),
    echoKey: values['echo-key'],
    chargePerTask: num('charge-per-task'),
    creditsUsedReport: num('report-credits'),
    numericTaskIds: values['numeric-task-ids'],
    hostileText: values['hostile-text'],
    envelope: values.envelope,
    stateField: values['state-field'],
    taskIdField: values['task-id-field'],
    errorShape: values['error-shape'],
    mediaType: values['media-type'],
    reject1k: values['reject-1k'],
    seed: num('seed'),
  }),
  start: (options: Partial<FakeKinoviOptions>) => startFakeKinovi(options),
  // The keys printed are the ones the user chose on the command line for a local fake, not secrets.
  listening: (kinovi, options) =>
    `fake kinovi listening: KINOVI_BASE_URL=${kinovi.baseUrl} (key: ${(options.apiKeys ?? ['test-key']).join(', ')})`,
  stopped: (kinovi) => `fake kinovi stopped: ${formatStats(kinovi.stats)}`,
});
