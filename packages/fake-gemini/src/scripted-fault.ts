import type { ScriptedFault as KitScriptedFault } from '@pixlock/fake-http-kit';
import type { LieKind } from './lie-kinds.js';

/** The requests a scripted fault can target. */
export const FAULT_ROUTES = [
  'generateContent',
  'batchCreate',
  'batchGet',
  'batchList',
  'batchCancel',
  'upload',
  'fileGet',
  'download',
] as const;
/** One of {@link FAULT_ROUTES}. */
export type FaultRoute = (typeof FAULT_ROUTES)[number];

/** A one-shot fault for the next request on `route`, queued with {@link FakeGemini.injectOnce}. */
export interface ScriptedFault extends KitScriptedFault<FaultRoute> {
  /** HTTP status to answer with; the body is then Google's error envelope for it. */
  status?: number;
  /** generateContent only: process and charge as usual, but the image part lies this way. */
  lie?: LieKind;
}
