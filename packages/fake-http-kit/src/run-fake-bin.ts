import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

/** The flags as parsed: a string, a repeated string, a switch, or undefined when not given. */
export type FlagValues = Record<string, string | string[] | boolean | undefined>;

/** One fake's command line; see {@link runFakeBin}. */
export interface FakeBin<Options, Fake extends { close(): Promise<void> }> {
  /** The command's name (`fake-kinovi`): starts every error message. */
  name: string;
  /** What `--help` prints, and a bad flag after its error. */
  usage: string;
  /** `parseArgs`'s table of flags; `-h, --help` is added. */
  flags: NonNullable<ParseArgsConfig['options']>;
  /**
   * The fake's options from the flags. `num(flag)` reads a number flag (exit 2 on "soon");
   * entries left undefined are dropped, so the library's defaults stay the one source of truth.
   */
  options(values: FlagValues, num: (flag: string) => number | undefined): Record<string, unknown>;
  start(options: Partial<Options>): Promise<Fake>;
  /** The line printed once the fake listens (the URL to use, the keys). */
  listening(fake: Fake, options: Partial<Options>): string;
  /** The line printed on SIGINT or SIGTERM, before the fake closes (what it charged). */
  stopped(fake: Fake): string;
}

/**
 * Runs a fake as a command: parses the flags (exit 2 with the usage on a bad one, 0 after
 * `--help`), starts the fake (exit 2 naming a bad option), prints where it listens, and on
 * SIGINT or SIGTERM prints its stats, closes it and exits 0.
 */
export async function runFakeBin<Options, Fake extends { close(): Promise<void> }>(
  bin: FakeBin<Options, Fake>,
): Promise<void> {
  const prefix = `${bin.name}: `;
  const fail = (message: string): never => {
    process.stderr.write(
      prefix + (message.startsWith(prefix) ? message.slice(prefix.length) : message) + '\n',
    );
    return process.exit(2);
  };
  let values: FlagValues;
  try {
    values = parseArgs({
      options: { ...bin.flags, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }).values as FlagValues;
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n\n${bin.usage}`);
  }
  if (values.help) {
    process.stdout.write(bin.usage);
    return process.exit(0);
  }
  const num = (flag: string): number | undefined => {
    const text = values[flag];
    if (typeof text !== 'string') return undefined;
    const n = text.trim() === '' ? NaN : Number(text);
    return Number.isNaN(n) ? fail(`--${flag} needs a number, got "${text}"`) : n;
  };
  const options = Object.fromEntries(
    Object.entries(bin.options(values, num)).filter(([, v]) => v !== undefined),
  ) as Partial<Options>;
  const fake = await bin
    .start(options)
    .catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
  console.log(bin.listening(fake, options));
  const stop = (): void => {
    console.log(bin.stopped(fake));
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
