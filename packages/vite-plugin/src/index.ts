export { pixlock, pixlock as default } from './pixlock-plugin.js';
export { resolveMode, type PixlockMode, type PixlockPluginOptions } from './plugin-options.js';
export type { ResolvedMode } from './plugin-options.js';
