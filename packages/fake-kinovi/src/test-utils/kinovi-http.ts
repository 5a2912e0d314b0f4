import { toAnswer } from '@pixlock/fake-http-kit/test-utils';
import type { JsonAnswer } from '@pixlock/fake-http-kit/test-utils';
import type { FakeKinovi } from '../fake-kinovi-server.js';

/** A minimal kinovi client for the fake's own tests: raw HTTP, nothing tolerant. */
/** `key: null` sends no Authorization header at all. */
export function kinoviHttp(kinovi: FakeKinovi, key: string | null = 'test-key') {
  const auth = (): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});
  const create = async (inputs: Record<string, unknown>, model = 'nanobanana2') =>
    toAnswer(
      await fetch(`${kinovi.baseUrl}/jobs/createTask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth() },
        body: JSON.stringify({ model, inputs }),
      }),
    );
  const poll = async (taskId: string) =>
    toAnswer(
      await fetch(`${kinovi.baseUrl}/jobs/recordInfo?taskId=${encodeURIComponent(taskId)}`, {
        headers: auth(),
      }),
    );
  /** Polls every few ms until the task leaves waiting/generating; returns the last answer. */
  const settle = async (taskId: string, read = (b: Record<string, unknown>) => b) => {
    for (;;) {
      const answer = await poll(taskId);
      const body = read(answer.body);
      const state = body.status ?? body.state;
      if (answer.status !== 200 || (state !== 'waiting' && state !== 'generating')) return answer;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  return { create, poll, settle };
}

/** The id of a successful create answer, whatever the field is called. */
export function taskIdOf(answer: JsonAnswer): string {
  const body = (answer.body.data ?? answer.body) as Record<string, unknown>;
  const id = body.taskId ?? body.task_id;
  if (typeof id !== 'string') throw new Error(`no task id in ${JSON.stringify(answer.body)}`);
  return id;
}
