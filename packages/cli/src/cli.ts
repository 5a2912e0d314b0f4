import { createRequire } from 'node:module';
import { PixlockError } from '@pixlock/core/light';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { reportError } from './output/report-error.js';
import { HELP_FOOTER } from './help-text.js';
import type { JsonDocumentBase } from './output/json-documents.js';
import type { Terminal } from './output/terminal.js';

/** The installed version of @pixlock/cli. */
export const VERSION: string = (
  createRequire(import.meta.url)('../package.json') as { version: string }
).version;

type CommandName = JsonDocumentBase['command'];
const COMMANDS: readonly CommandName[] = [
  'init',
  'validate',
  'plan',
  'generate',
  'check',
  'prune',
  'review',
  'pick',
  'merge',
  'store',
];

/**
 * Runs the CLI on `argv` (without node and script) and resolves with the exit code. Maps argv
 * to core calls and errors to exit codes; owns nothing else.
 */
export async function runCli(
  argv: string[],
  term: Terminal,
  signal?: AbortSignal,
): Promise<number> {
  let code = EXIT_OK;
  // Known before parsing, so that a usage error is reported as JSON too.
  const json = argv.includes('--json');
  const detailed = argv.includes('--detailed-exitcode');
  let command = argv.find((a): a is CommandName => COMMANDS.includes(a as CommandName));
  const program = new Command('pixlock')
    .description('Images as code: a YAML manifest of generated images, locked and reproducible.')
    .version(VERSION, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => term.out(s.trimEnd()),
      // Under --json the error is printed as a JSON document instead (see the catch below).
      writeErr: (s) => {
        if (!json) term.err(s.trimEnd());
      },
    })
    .showHelpAfterError('(run pixlock --help for usage)')
    .addHelpText('after', HELP_FOOTER);

  const common = (cmd: Command) =>
    cmd
      .option('-c, --config <path>', 'manifest file', 'pixlock.yaml')
      .option('--json', 'machine-readable output on stdout', false);
  // Each command's module is loaded when that command runs: a no-op `check` should not load
  // the progress bar, the review's HTML writer or the starter manifest.
  const run = (fn: (opts: never) => Promise<number>) => async (opts: object, cmd: Command) => {
    // A subcommand (`store push`) reports as its group.
    command = (cmd.parent?.parent ? cmd.parent.name() : cmd.name()) as CommandName;
    code = await fn(opts as never);
  };

  common(program.command('init').description('write a commented starter manifest'))
    .option('--force', 'overwrite an existing manifest')
    .action(run(async (o) => (await import('./commands/init.js')).initCommand(term, o)));
  common(
    program.command('validate').description('check the manifest, included files and lock'),
  ).action(run(async (o) => (await import('./commands/validate.js')).validateCommand(term, o)));
  common(program.command('plan').description('show what generate would do and cost'))
    .option('--only <ids...>', 'only these ids or globs (each must match an id)', collect)
    .option('--force <ids...>', 'regenerate these ids or globs', collect)
    .option('--all', 'list unchanged images too')
    .option('--graph', 'show images built on other images as a tree first')
    .option('--detailed-exitcode', 'exit 0 with nothing to do, 2 with changes pending, 1 on error')
    .option(
      '--shard <i/n|auto>',
      "one shard's share (from 1) and the balance of all n; auto: the CI system's parallel job",
    )
    .action(
      run(async (o) =>
        // A shard's plan is its own command (generate-shard.ts), chosen here so that neither
        // command module imports the other.
        (o as { shard?: string }).shard !== undefined
          ? (await import('./commands/generate-shard.js')).planShardCommand(term, o as never)
          : (await import('./commands/plan.js')).planCommand(term, o),
      ),
    );
  common(
    program.command('generate').description('generate what changed, process it, update the lock'),
  )
    .option('--concurrency <n>', 'provider tasks in flight', positiveInt)
    .option('--only <ids...>', 'only these ids or globs (each must match an id)', collect)
    .option('--force <ids...>', 'regenerate these ids or globs even if unchanged', collect)
    .option('--dry-run', 'show the plan, change nothing')
    .option('--frozen', 'never call the provider; fail if it would be needed (CI)')
    .option(
      '--shard <i/n|auto>',
      "only shard i of n (from 1), into pixlock.shard-<i>-of-<n>.lock; auto: the CI system's parallel job",
    )
    .option(
      '--resume <id=taskId>',
      'poll this paid task instead of holding its image (as printed after a full disk); repeatable',
      append,
    )
    .option(
      '--no-wait',
      'create tasks and exit 0 without waiting for them (batch jobs): they stay pending in the lock, and a later generate collects them',
    )
    .addOption(
      new Option(
        '--max-credits <n>',
        "most this run may spend, in the provider's unit (kinovi credits; dollars for a provider billed in dollars)",
      ).argParser(nonNegativeAmount),
    )
    .action(
      run(async (o) => {
        const opts = {
          ...(o as object),
          // commander reads --no-wait as `wait: false`.
          ...((o as { wait?: boolean }).wait === false && { noWait: true }),
          ...(signal && { signal }),
        } as never;
        return (o as { shard?: string }).shard !== undefined
          ? (await import('./commands/generate-shard.js')).generateShardCommand(term, opts)
          : (await import('./commands/generate.js')).generateCommand(term, opts);
      }),
    );
  common(
    program
      .command('check')
      .description('exit 1 unless every image is generated, locked and unmodified'),
  )
    .option(
      '--store',
      "instead: exit 1 unless the manifest's store holds everything the lock names",
    )
    .action(
      run(async (o: { store?: boolean; config: string; json: boolean }) =>
        o.store
          ? (await import('./commands/store.js')).storeCheckCommand(term, o)
          : (await import('./commands/check.js')).checkCommand(term, o),
      ),
    );
  const store = program
    .command('store')
    .description("the manifest's object store (store: s3://bucket/prefix)");
  common(
    store
      .command('push')
      .description('upload every original (and output) the lock names that the store lacks'),
  ).action(
    run(async (o) =>
      (await import('./commands/store.js')).storePushCommand(term, {
        ...(o as { config: string; json: boolean }),
        ...(signal && { signal }),
      }),
    ),
  );
  common(
    program
      .command('prune')
      .description('remove orphans: lock entries, outputs and unreferenced originals'),
  )
    .option('--dry-run', 'list, remove nothing')
    .action(run(async (o) => (await import('./commands/prune.js')).pruneCommand(term, o)));

  common(
    program.command('review').description('write an HTML report of what changed since a git ref'),
  )
    .option('--base <ref>', 'git ref to compare against', 'HEAD')
    .option('--out <dir>', 'report folder (default .pixlock/review beside the manifest)')
    .action(run(async (o) => (await import('./commands/review.js')).reviewCommand(term, o)));

  common(
    program
      .command('merge')
      .description('fold the shard locks of a run into pixlock.lock and remove them')
      .argument(
        '[files...]',
        'shard locks (default: every pixlock.shard-*-of-*.lock beside the manifest)',
      ),
  )
    .option('--partial', 'merge the shards given even when others are missing')
    .option('--dry-run', 'say what would be merged, write nothing')
    .action(async (files: string[], opts: object) => {
      command = 'merge';
      code = await (await import('./commands/merge.js')).mergeCommand(term, files, opts as never);
    });

  common(
    program
      .command('pick')
      .description('choose candidate n (from 1) of an image with variants; no provider call')
      .argument('<id>', 'image id')
      .argument('<n>', 'candidate number, from 1, as the review report numbers them', positiveInt),
  ).action(async (id: string, n: number, opts: object, cmd: Command) => {
    command = 'pick';
    void cmd;
    code = await (await import('./commands/pick.js')).pickCommand(term, id, n, opts as never);
  });

  let exit: number;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT_OK;
      exit = json ? reportError(term, usageError(error), true, command) : EXIT_USAGE;
    } else {
      exit = reportError(term, error, json, command);
    }
  }
  // Terraform's convention: with --detailed-exitcode, 2 means "changes", so errors are 1.
  return detailed ? EXIT_FAILED : exit;
}

function usageError(error: CommanderError): PixlockError {
  return new PixlockError('USAGE', error.message.replace(/^error: /, ''));
}

function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

function append(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

function nonNegativeAmount(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError('expected a number of at least 0');
  return n;
}
