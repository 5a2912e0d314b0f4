import { htmlPage } from '@pixlock/fake-http-kit';
import type { Reply } from '@pixlock/fake-http-kit';

/** Google's spelling of the JSON content type, as its answers carry it. */
export const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';

/** The page a gateway or load balancer shows instead of the API's JSON. */
export function htmlReply(status: number, answerStatus = status): Reply {
  return {
    status: answerStatus,
    bytes: htmlPage(status),
    contentType: 'text/html; charset=UTF-8',
    fault: true,
  };
}

/** A JSON answer cut in the middle, as a proxy that gave up sends it. */
export function malformedReply(): Reply {
  return {
    status: 200,
    bytes: Buffer.from('{"name":"batches/x","metadata":{"state":"BATCH_STA'),
    contentType: JSON_CONTENT_TYPE,
    fault: true,
  };
}
