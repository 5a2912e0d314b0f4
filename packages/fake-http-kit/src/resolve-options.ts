import type { Check } from './option-checks.js';

/** What a fake's options are: its name for messages, its defaults and a check per option. */
export interface OptionsSpec<T extends object> {
  /** Starts every message, e.g. `fake-kinovi`. */
  name: string;
  /** The value of every option not given (and of one given as undefined). */
  defaults: Readonly<T>;
  // A table rather than ad-hoc ifs, so an unknown key (a typo like `latency`) is refused too.
  /** One check per option; a key with no check is an unknown option. */
  checks: Record<keyof T, Check>;
}

/** A fake's two ways to its options; see {@link optionsResolver}. */
export interface OptionsResolver<T> {
  /**
   * Merges `patch` over `base` (default: the defaults) and validates the result.
   * @throws TypeError naming the first bad or unknown option.
   */
  resolveOptions(patch?: Partial<T>, base?: Readonly<T>): T;
  /**
   * The options of the running fake after `patch`: the port and host stay, since the server
   * already listens on them.
   * @throws TypeError on a bad option or a new port or host.
   */
  changeOptions(patch: Partial<T>, current: Readonly<T>): T;
}

/** The resolver of a fake's options, from its name, defaults and checks. */
export function optionsResolver<T extends { port: number; host: string }>(
  spec: OptionsSpec<T>,
): OptionsResolver<T> {
  return {
    resolveOptions: (patch = {}, base = spec.defaults) => resolve(spec, patch, base),
    changeOptions(patch, current) {
      const next = resolve(spec, patch, current);
      if (next.port !== current.port || next.host !== current.host) {
        throw new TypeError(`${spec.name}: port and host cannot change while running`);
      }
      return next;
    },
  };
}

function resolve<T extends object>(spec: OptionsSpec<T>, patch: Partial<T>, base: Readonly<T>): T {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new TypeError(`${spec.name} options must be an object`);
  }
  // Lists copied, so a caller changing its array later cannot change the defaults or the
  // running fake.
  const merged: Record<string, unknown> = Object.fromEntries(
    Object.entries(base).map(([k, v]) => [k, Array.isArray(v) ? [...(v as unknown[])] : v]),
  );
  for (const [key, value] of Object.entries(patch)) {
    const check = spec.checks[key as keyof T] as Check | undefined;
    if (!check) throw new TypeError(`${spec.name}: unknown option "${key}"`);
    // An explicit undefined means "default" (null, not undefined, turns an option off); for an
    // option whose default is undefined it stays undefined.
    const effective = value === undefined ? spec.defaults[key as keyof T] : value;
    const problem = check(effective);
    if (problem) {
      throw new TypeError(`${spec.name}: option ${key} must be ${problem}, got ${String(value)}`);
    }
    merged[key] = Array.isArray(effective) ? [...(effective as unknown[])] : effective;
  }
  return merged as T;
}
