// A child process that runs fake kinovi servers for a bench, so the server's timers are not
// held up by the client's work (decoding, encoding, lock writes), as a remote server's are not.
// Messages in: {start: options} answers {baseUrl}; {stop: true} answers {stats} and closes.
import { startFakeKinovi, type FakeKinovi } from '../packages/fake-kinovi/src/index.js';

let fake: FakeKinovi | undefined;
process.on('message', (message: { start?: Record<string, unknown>; stop?: true }) => {
  void (async () => {
    if (message.start) {
      fake = await startFakeKinovi(message.start);
      process.send!({ baseUrl: fake.baseUrl });
    } else if (message.stop && fake) {
      const stats = { ...fake.stats };
      await fake.close();
      fake = undefined;
      process.send!({ stats });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
