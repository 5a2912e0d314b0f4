export { runCli, VERSION } from './cli.js';
export type { Terminal } from './output/terminal.js';
export { EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CHANGES, EXIT_INTERNAL } from './exit-codes.js';
export { JSON_VERSION } from './output/json-documents.js';
export type * from './output/json-documents.js';
export type { ReviewDocument } from './commands/review.js';
