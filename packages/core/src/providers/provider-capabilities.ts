/**
 * How a provider takes references, gives results and is driven. The engine reads only these
 * (never a provider's name) to decide what to hand it and how to wait for its results.
 */
export interface ProviderCapabilities {
  /**
   * How a reference that is not a public URL (a local file, another manifest image) reaches
   * the provider. Public URLs are always sent as written.
   * - `urls`: it cannot; such a reference fails the image before anything is sent.
   * - `uploads`: uploaded first (`uploadReference`, `uploadOriginal`), then sent as its URL;
   *   an image finished in the same run is sent as its result URL, uploaded by no one.
   * - `inline`: its bytes go in the request (`GenerationRequest.inlineReferences`).
   */
  references: 'urls' | 'uploads' | 'inline';
  /** What a finished task gives: a URL the engine has `download` fetch, or the bytes. */
  results: 'url' | 'bytes';
  /**
   * - `task`: the create returns an id, polled until the task ends. The id is in the lock
   *   before the first poll, so a run that dies resumes it instead of paying again.
   * - `sync`: the create is one call that returns the finished result. Nothing can be
   *   resumed: a call whose outcome is unknown (PROVIDER_CREATE_UNCONFIRMED) holds the image
   *   until `--force`, and one that ended but was not recorded is held the same way.
   */
  calls: 'task' | 'sync';
  /**
   * `task` calls: who names a task. `server` (the default): the create's answer does, so a
   * create whose answer is lost is unknown and its image is held until `--force`. `client`:
   * the provider names each task itself and, before anything is sent, has the engine record
   * that name in `pending` (`ProviderCallContext.recordTask`): a run that dies with the create
   * on its way, or a create whose answer was lost, is resumed by polling that name, and the
   * provider answers "lost" (`PROVIDER_TASK_LOST`) for one that never reached it, which the
   * next run creates again. Nothing is held, and nothing is paid twice.
   */
  taskNames?: 'server' | 'client';
}
