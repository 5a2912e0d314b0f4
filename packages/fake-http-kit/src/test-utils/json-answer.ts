/** A decoded answer: status, headers and the parsed JSON body. */
export interface JsonAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/**
 * Reads a fetch answer whole: its JSON body, `{}` when empty. A body that is not JSON (an
 * HTML page, a cut answer) throws unless `tolerant`, which gives `{text}` instead.
 */
export async function toAnswer(res: Response, tolerant = false): Promise<JsonAnswer> {
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch (error) {
    if (!tolerant) throw error;
    body = { text };
  }
  return { status: res.status, headers: res.headers, body };
}
