// docs/api.md is run, not just read: every `sh` block of the guide, in order, in one bash, against
// a real server with a token of every scope. A failing block fails this test with its number.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiToken, MessagePage, WebhookEndpoint } from '@frontline/protocol';
import { API_SCOPES } from '@frontline/protocol';
import { createWorkspace, login, visitorConversation, type StaffClient } from './factories.js';
import { startTestServer, type TestServer } from './harness.js';

const GUIDE = path.resolve(import.meta.dirname, '../../../docs/api.md');

let server: TestServer;
let admin: StaffClient;
let token: string;
let workDir: string;

beforeAll(async () => {
  server = await startTestServer();
  const workspace = await createWorkspace(server);
  admin = await login(server, workspace.admin);
  token = (await admin.json<CreatedApiToken>('POST', '/api/tokens', { name: 'CRM sync', scopes: API_SCOPES }))
    .token;
  await admin.json('POST', '/api/contact-attributes', {
    key: 'plan',
    label: 'Plan',
    type: 'select',
    options: ['gold', 'silver'],
  });
  await admin.json('POST', '/api/contact-attributes', { key: 'orders', label: 'Orders', type: 'number' });
  for (const text of ['Where is my order 1042?', 'Do you deliver to Kazan?'])
    await visitorConversation(server, workspace.widgetKey, text);
  workDir = mkdtempSync(path.join(tmpdir(), 'frontline-guide-'));
}, 60_000);
afterAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  await server.close();
});

/** The guide's runnable examples: fenced blocks marked `sh`. */
function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}

function run(script: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], {
      cwd: workDir,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}

describe('the API guide', () => {
  it('runs every example of docs/api.md against a real server', async () => {
    const blocks = shellBlocks(readFileSync(GUIDE, 'utf8'));
    expect(blocks.length).toBeGreaterThan(10);
    const script = [
      'set -euo pipefail',
      ...blocks.flatMap((block, i) => [`echo "::block ${i + 1}::"`, block]),
    ].join('\n');
    const { code, output } = await run(script, { FRONTLINE_URL: server.url, FRONTLINE_TOKEN: token });
    const lastBlock = [...output.matchAll(/::block (\d+)::/g)].at(-1)?.[1];
    expect(code, `block ${lastBlock} of docs/api.md failed:\n${output.slice(-3000)}`).toBe(0);
    expect(lastBlock).toBe(String(blocks.length));

    // What the examples did is really there, once.
    expect(output).toContain('"Your order 1042 ships today."');
    expect(output).toMatch(/x-ratelimit-remaining: \d+/i);
    const conversationId = /"first": "([0-9a-f-]{36})"/.exec(output)?.[1] ?? '';
    const page = await admin.json<MessagePage>('GET', `/api/conversations/${conversationId}/messages`);
    expect(page.items.filter((m) => m.text === 'Your order 1042 ships today.')).toHaveLength(1);
    expect(page.items.find((m) => m.kind === 'note')?.text).toBe('Refund approved by the CRM');
    expect(page.items.find((m) => m.attachments.length > 0)?.attachments[0]?.name).toBe('invoice.txt');
    const hooks = await admin.json<WebhookEndpoint[]>('GET', '/api/webhooks');
    expect(hooks.map((h) => h.url)).toEqual(['https://crm.example.com/frontline-hooks']);
    const exported = JSON.parse(readFileSync(path.join(workDir, 'contact-export.json'), 'utf8')) as {
      contact: { name: string; attributes: Record<string, unknown> };
    };
    expect(exported.contact).toMatchObject({
      name: 'Maria Ivanova',
      attributes: { plan: 'gold', orders: 12 },
    });
  });
});
