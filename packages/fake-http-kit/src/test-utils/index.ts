export { startedFakes } from './started-fakes.js';
export { toAnswer } from './json-answer.js';
export type { JsonAnswer } from './json-answer.js';
