export { startedFakes } from './started-fakes.js';
export { toAnswer } from './json-answer.js';
export type { JsonAnswer } from './json-answer.js';
export { rawGet } from './raw-get.js';
export type { RawAnswer } from './raw-get.js';
export { binFirstLine } from './bin-first-line.js';
export type { FirstLine } from './bin-first-line.js';
