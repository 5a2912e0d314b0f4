// A fake of the least kind for runFakeBin's tests: it takes --port, --rate and --name, refuses
// a rate above 1 when it starts, and counts nothing.
import { runFakeBin } from '../run-fake-bin.js';

interface Options {
  port: number;
  rate: number;
  names: string[];
}

await runFakeBin({
  name: 'fake-test',
  usage: 'usage: fake-test [--rate <p>] [--name <n>]\n',
  flags: {
    port: { type: 'string' },
    rate: { type: 'string' },
    name: { type: 'string', multiple: true },
  },
  options: (values, num) => ({ port: num('port'), rate: num('rate'), names: values.name }),
  start: async (options: Partial<Options>) => {
    if ((options.rate ?? 0) > 1) throw new TypeError('fake-test: option rate must be <= 1');
    return { options, close: async () => undefined };
  },
  listening: (fake) => `fake-test listening: ${JSON.stringify(fake.options)}`,
  stopped: () => 'fake-test stopped',
});
