import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The shipped schema in the tools people point at it, as they are, with no flags: ajv-cli
// (the command line of the validator most JSON tooling builds on) and yaml-language-server
// (what VS Code, Neovim and others use for `# yaml-language-server: $schema=…`).

const SCHEMA = fileURLToPath(new URL('../../schema/pixlock.schema.json', import.meta.url));
const require = createRequire(import.meta.url);
const binOf = (pkg: string, name: string) => {
  const json = require.resolve(`${pkg}/package.json`);
  const bin = (require(json) as { bin: Record<string, string> }).bin[name]!;
  return path.join(path.dirname(json), bin);
};
const AJV = binOf('ajv-cli', 'ajv');
const YAML_LS = binOf('yaml-language-server', 'yaml-language-server');

const GOOD_MAIN = `version: 1
provider: { name: kinovi, model: nanobanana2, baseUrl: https://kinovi.ai/api/v1 }
outDir: src/generated
concurrency: 4
include: ['parts/*.yaml']
defaults: { resolution: 2k, output: { formats: [avif, webp], widths: [640, 1280] } }
images:
  hero:
    prompt: A city at dusk
    seed: 42
    aspectRatio: '16:9'
    variants: 3
    references: [{ image: brand/mascot }, ./logo.png]
    output: { avif: { quality: 50, effort: 2 }, sizes: '100vw' }
  brand/mascot: { prompt: A fox }
`;
const GOOD_INCLUDED = `images:
  team/ada: { prompt: Ada, output: { format: png, width: 128 } }
`;
// Two problems: an unknown key and a value out of its enum.
const BAD_MAIN = `version: 1
provider: { name: placeholder }
images:
  hero:
    prompt: A city
    aspect_ratio: '16:9'
    output: { format: gif }
`;
const BAD_INCLUDED = `images:
  team/ada: { prompt: Ada, seed: -1 }
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-schema-'));
  await copyFile(SCHEMA, path.join(dir, 'pixlock.schema.json'));
  const files = { GOOD_MAIN, GOOD_INCLUDED, BAD_MAIN, BAD_INCLUDED };
  for (const [name, text] of Object.entries(files))
    await writeFile(path.join(dir, `${name}.yaml`), text);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(bin: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

describe('ajv-cli, without flags', () => {
  it('takes the schema as it is (no --spec, no ajv-formats, no strict-mode warning)', async () => {
    for (const name of ['GOOD_MAIN', 'GOOD_INCLUDED']) {
      const { code, out } = await run(AJV, [
        'validate',
        '-s',
        'pixlock.schema.json',
        '-d',
        `${name}.yaml`,
      ]);
      expect([code, out.trim()]).toEqual([0, `${name}.yaml valid`]);
    }
  });

  it('reports each problem once, with no anyOf error beside it', async () => {
    const errors = async (name: string) => {
      const { code, out } = await run(AJV, [
        'validate',
        '--all-errors',
        '--errors=json',
        '-s',
        'pixlock.schema.json',
        '-d',
        `${name}.yaml`,
      ]);
      expect(code).toBe(1);
      const json = out.slice(out.indexOf('['));
      return (JSON.parse(json) as { instancePath: string; keyword: string }[]).map(
        (e) => `${e.instancePath} ${e.keyword}`,
      );
    };
    expect(await errors('BAD_MAIN')).toEqual([
      '/images/hero additionalProperties',
      '/images/hero/output/format enum',
    ]);
    expect(await errors('BAD_INCLUDED')).toEqual(['/images/team~1ada/seed minimum']);
  });
});

/** yaml-language-server's diagnostics for one document, over LSP on stdio. */
async function diagnostics(name: string, text: string): Promise<string[]> {
  const child = spawn(process.execPath, [YAML_LS, '--stdio'], { cwd: dir });
  const uri = pathToFileURL(path.join(dir, name)).href;
  const send = (message: object) => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...message });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  try {
    return await new Promise<string[]>((resolve, reject) => {
      let buffer = Buffer.alloc(0);
      child.on('error', reject);
      child.stdout.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const head = buffer.indexOf('\r\n\r\n');
          if (head < 0) return;
          const length = Number(
            /Content-Length: (\d+)/i.exec(buffer.subarray(0, head).toString())![1],
          );
          if (buffer.length < head + 4 + length) return;
          const message = JSON.parse(buffer.subarray(head + 4, head + 4 + length).toString()) as {
            id?: number;
            method?: string;
            params?: { uri?: string; items?: unknown[]; diagnostics?: { message: string }[] };
          };
          buffer = buffer.subarray(head + 4 + length);
          if (message.method === 'workspace/configuration')
            send({
              id: message.id,
              result: message.params!.items!.map(() => ({ validate: true })),
            });
          else if (message.method !== undefined && message.id !== undefined)
            send({ id: message.id, result: null });
          else if (message.id === 1) {
            send({ method: 'initialized', params: {} });
            send({
              method: 'textDocument/didOpen',
              params: { textDocument: { uri, languageId: 'yaml', version: 1, text } },
            });
          } else if (
            message.method === 'textDocument/publishDiagnostics' &&
            message.params!.uri === uri
          )
            resolve(message.params!.diagnostics!.map((d) => d.message));
        }
      });
      send({
        id: 1,
        method: 'initialize',
        params: {
          processId: null,
          rootUri: null,
          capabilities: { workspace: { configuration: true } },
        },
      });
    });
  } finally {
    child.kill();
  }
}

describe('yaml-language-server, through the modeline pixlock init writes', () => {
  const modeline = '# yaml-language-server: $schema=./pixlock.schema.json\n';

  it('finds nothing wrong in a full main manifest or an included file', async () => {
    expect(await diagnostics('main.yaml', modeline + GOOD_MAIN)).toEqual([]);
    expect(await diagnostics('part.yaml', modeline + GOOD_INCLUDED)).toEqual([]);
  });

  it('reports each problem once', async () => {
    expect((await diagnostics('bad.yaml', modeline + BAD_MAIN)).sort()).toEqual([
      'Property aspect_ratio is not allowed.',
      'Value is not accepted. Valid values: "webp", "avif", "png", "jpeg".',
    ]);
    expect(await diagnostics('bad-part.yaml', modeline + BAD_INCLUDED)).toEqual([
      'Value is below the minimum of 0.',
    ]);
  });
});
