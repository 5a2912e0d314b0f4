import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { checkCommand } from './commands/check.js';
import { generateCommand } from './commands/generate.js';
import { initCommand } from './commands/init.js';
import { planCommand } from './commands/plan.js';
import { pruneCommand } from './commands/prune.js';
import { reportError } from './commands/report-error.js';
import { reviewCommand } from './commands/review.js';
import { validateCommand } from './commands/validate.js';
import type { Terminal } from './output/terminal.js';

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
  let json = argv.includes('--json');
  const program = new Command('pixlock')
    .description('Images as code: a YAML manifest of generated images, locked and reproducible.')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => term.out(s.trimEnd()),
      writeErr: (s) => term.err(s.trimEnd()),
    })
    .showHelpAfterError('(run pixlock --help for usage)');

  const common = (cmd: Command) =>
    cmd
      .option('-c, --config <path>', 'manifest file', 'pixlock.yaml')
      .option('--json', 'machine-readable output on stdout', false);
  const run = (fn: (opts: never) => Promise<number>) => async (opts: { json: boolean }) => {
    json = opts.json;
    code = await fn(opts as never);
  };

  common(program.command('init').description('write a commented starter manifest'))
    .option('--force', 'overwrite an existing manifest')
    .action(run((o) => initCommand(term, o)));
  common(
    program.command('validate').description('check the manifest, included files and lock'),
  ).action(run((o) => validateCommand(term, o)));
  common(program.command('plan').description('show what generate would do and cost'))
    .option('--only <ids...>', 'only these ids or globs', collect)
    .option('--force <ids...>', 'regenerate these ids or globs', collect)
    .option('--all', 'list unchanged images too')
    .action(run((o) => planCommand(term, o)));
  common(
    program.command('generate').description('generate what changed, process it, update the lock'),
  )
    .option('--concurrency <n>', 'provider tasks in flight', positiveInt)
    .option('--only <ids...>', 'only these ids or globs', collect)
    .option('--force <ids...>', 'regenerate these ids or globs even if unchanged', collect)
    .option('--dry-run', 'show the plan, change nothing')
    .option('--frozen', 'never call the provider; fail if it would be needed (CI)')
    .addOption(
      new Option('--max-credits <n>', 'most credits this run may spend').argParser(nonNegativeInt),
    )
    .action(
      run((o) => generateCommand(term, { ...(o as object), ...(signal && { signal }) } as never)),
    );
  common(
    program
      .command('check')
      .description('exit 1 unless every image is generated, locked and unmodified'),
  ).action(run((o) => checkCommand(term, o)));
  common(
    program
      .command('prune')
      .description('remove orphans: lock entries, outputs and unreferenced originals'),
  )
    .option('--dry-run', 'list, remove nothing')
    .action(run((o) => pruneCommand(term, o)));

  common(
    program.command('review').description('write an HTML report of what changed since a git ref'),
  )
    .option('--base <ref>', 'git ref to compare against', 'HEAD')
    .option('--out <dir>', 'report folder (default .pixlock/review beside the manifest)')
    .action(run((o) => reviewCommand(term, o)));

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    return reportError(term, error, json);
  }
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

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError('expected a whole number of at least 0');
  return n;
}
