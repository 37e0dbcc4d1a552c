/**
 * `loadprint run --writer bedrock` from the built CLI: the Bedrock writer is a chunk of its own,
 * loaded only when asked for, and it talks to Bedrock through the real AWS SDK. Bedrock itself is a
 * stand-in Converse endpoint on 127.0.0.1 (HTTP/2, as the SDK's Bedrock runtime client speaks) that
 * reviews each compiled script by adding a comment.
 */
import { createServer, type Http2Server, type Http2ServerRequest } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Manifest } from '../../lib/core/types';
import { REPO, runCli } from '../helpers/cli';

interface ConverseBody {
  messages: { content: { text: string }[] }[];
}

const body = (req: Http2ServerRequest): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => resolve(text));
  });

/** Answers a Converse call with the script it was shown, plus a reviewer's comment in its language. */
function reviewingBedrock(calls: string[]): Http2Server {
  return createServer((req, res) => {
    void body(req).then((text) => {
      calls.push(`${req.method} ${req.url}`);
      const prompt = (JSON.parse(text) as ConverseBody).messages[0]!.content[0]!.text;
      const script = /Compiled script:\n```\n([\s\S]*)\n```$/.exec(prompt)?.[1] ?? '';
      const comment = prompt.startsWith('Tool: k6.') ? '// Reviewed by the stand-in model.' : '# Reviewed by the stand-in model.';
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({
        output: { message: { role: 'assistant', content: [{ text: '```\n' + comment + '\n' + script + '\n```' }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
        metrics: { latencyMs: 1 },
      }));
    });
  });
}

describe('loadprint run --writer bedrock', () => {
  const calls: string[] = [];
  const server = reviewingBedrock(calls);
  beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('loads the Bedrock writer on demand and keeps the reviewed scripts', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'lp-bedrock-')), 'run');
    const { port } = server.address() as AddressInfo;
    const r = await runCli(['run', path.join(REPO, 'examples', 'alb'), '--out', out, '--writer', 'bedrock', '--bedrock-model', 'stand-in.model-v1'], {
      env: {
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: `http://127.0.0.1:${port}`,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    expect(r.stderr).not.toMatch(/internal error|rejected, compiled script kept/);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.scenarios?.map((s) => [s.tool, s.writer])).toEqual([['k6', 'bedrock'], ['locust', 'bedrock'], ['artillery', 'bedrock']]);
    expect(readFileSync(path.join(out, 'scenarios', 'k6', 'script.js'), 'utf8')).toContain('// Reviewed by the stand-in model.');
    expect(readFileSync(path.join(out, 'scenarios', 'locust', 'locustfile.py'), 'utf8')).toContain('# Reviewed by the stand-in model.');
    expect(calls).toEqual(Array(3).fill('POST /model/stand-in.model-v1/converse'));
  });
});

describe('the CLI bundle', () => {
  test('starts without the AWS SDK: only the Bedrock writer\'s chunk imports it', () => {
    const imports = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^(?:import|} from|export) .*?"([^"]+)";?$/gm)].map((m) => m[1]!);
    const dist = path.join(REPO, 'dist');
    expect(imports(path.join(dist, 'cli.mjs')).filter((m) => m.startsWith('@aws-sdk/'))).toEqual([]);
    const chunks = readdirSync(path.join(dist, 'chunks')).filter((f) => f.endsWith('.mjs'));
    const withSdk = chunks.filter((f) => imports(path.join(dist, 'chunks', f)).includes('@aws-sdk/client-bedrock-runtime'));
    expect(withSdk).toEqual([expect.stringMatching(/^bedrock-llm-/)]);
  });
});
