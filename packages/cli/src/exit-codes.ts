/** Everything done, or nothing to do. */
export const EXIT_OK = 0;
/** An image failed, `check` found drift, or `--frozen` found work that needs the provider. */
export const EXIT_FAILED = 1;
/** Bad manifest, lock or arguments. */
export const EXIT_USAGE = 2;
/**
 * `plan --detailed-exitcode` only: changes are pending. Under that flag every error exits
 * {@link EXIT_FAILED}, as Terraform's `plan -detailed-exitcode` does, so 2 means only this.
 */
export const EXIT_CHANGES = 2;
