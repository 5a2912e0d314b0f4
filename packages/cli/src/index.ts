export { runCli } from './cli.js';
export type { Terminal } from './output/terminal.js';
export { EXIT_OK, EXIT_FAILED, EXIT_USAGE } from './exit-codes.js';
