import { PixlockError } from '../errors.js';
import { insecureDestination } from './key-destination.js';

/**
 * `value` as a base URL the API key may be sent to, without a trailing slash (paths are
 * appended as `${base}/...`): an http(s) URL without a user name or password, over https or
 * plain http to loopback. `source` names where it was read, for the message.
 * @throws PixlockError USAGE naming `source` otherwise.
 */
export function checkedBaseUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PixlockError('USAGE', `${source} is not a URL: "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PixlockError('USAGE', `${source} must be an http(s) URL, got "${value}"`);
  }
  if (url.username || url.password) {
    throw new PixlockError('USAGE', `${source} must not carry a user name or password`);
  }
  const insecure = insecureDestination(url);
  if (insecure !== undefined) throw new PixlockError('USAGE', `${source}: ${insecure}`);
  return value.replace(/\/+$/, '');
}
