export { startFakeKinovi, API_PREFIX } from './fake-kinovi-server.js';
export type { FakeKinovi } from './fake-kinovi-server.js';
export {
  DEFAULT_OPTIONS,
  ASPECT_RATIOS,
  ECHO_KEY_FORMS,
  RESOLUTIONS,
  resolveOptions,
} from './options.js';
export type {
  AspectRatio,
  EchoKeyForm,
  FakeKinoviOptions,
  OutputMediaType,
  Resolution,
} from './options.js';
export { echoKeyText, HOSTILE_TEXT } from './hostile-answers.js';
export { createPrng } from './faults.js';
export type { FaultRoute, ScriptedFault } from './faults.js';
export { formatStats, makespanMs } from './stats.js';
export type { FakeKinoviStats } from './stats.js';
export { creditCost } from './task-store.js';
export type { FakeTask, FakeTaskOutput, TaskStatus } from './task-store.js';
export { MODEL } from './create-task-request.js';
export type { CreateTaskInput, ValidationError } from './create-task-request.js';
export { imageSize } from './image-size.js';
export { colorFor } from '@pixlock/fake-http-kit';
export type { Rgb } from '@pixlock/fake-http-kit';
