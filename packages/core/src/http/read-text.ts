/**
 * The body of an answer as text, refused past `maxBytes`: an API answers a few hundred bytes,
 * and a hostile or broken server can send gigabytes.
 * @throws Error when the body is larger, after cancelling the rest of it.
 */
export async function readText(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString('utf8');
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new Error(`answer larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
}
