/**
 * True for a reference that is a URL rather than a local file. Only http(s) URLs are: the
 * manifest schema refuses every other scheme (`file:`, `ftp:`, `data:`, `javascript:`), so
 * nothing else can be sent to the provider or be taken for a file path.
 */
export function isUrlReference(ref: string): boolean {
  return /^https?:\/\//i.test(ref);
}
