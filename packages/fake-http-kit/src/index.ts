export {
  bool,
  integer,
  limit,
  nonNegative,
  oneOf,
  port,
  positiveInt,
  probability,
  stringList,
  text,
} from './option-checks.js';
export type { Check } from './option-checks.js';
export { optionsResolver } from './resolve-options.js';
export type { OptionsResolver, OptionsSpec } from './resolve-options.js';
export { encodeBody, htmlPage, jsonReply } from './reply.js';
export type { Reply } from './reply.js';
export { writeReply } from './write-reply.js';
export type { WriteOptions } from './write-reply.js';
export { readBody } from './read-body.js';
export { replacesAnswer } from './scripted-fault.js';
export type { ScriptedFault } from './scripted-fault.js';
export { sendReply } from './send-reply.js';
export type { TrickleOptions } from './send-reply.js';
export { createPrng } from './create-prng.js';
export { pick, SeededDecider } from './seeded-decider.js';
export { colorFor, renderImage } from './render-image.js';
export type { ImageMediaType, RenderRequest, Rgb } from './render-image.js';
export { listenLoopback } from './listen-loopback.js';
export type { ListenOptions, LoopbackServer } from './listen-loopback.js';
export { runFakeBin } from './run-fake-bin.js';
export type { FakeBin, FlagValues } from './run-fake-bin.js';
