// Uploads checked by content and size, downloads by signed link with safe headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, FileInfo, Message } from '@frontline/protocol';
import {
  clientId,
  connected,
  createWorkspace,
  login,
  startVisitor,
  type StaffClient,
  openConversation,
} from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';

// The smallest valid PNG: signature, IHDR, IDAT, IEND.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082',
  'hex',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

let server: TestServer;
let operator: StaffClient;

beforeAll(async () => {
  server = await startTestServer({ FILE_MAX_BYTES: String(64 * 1024) });
  operator = await login(server, (await createWorkspace(server)).operator);
});
afterAll(() => server.close());

const upload = (bytes: Buffer, name: string, type: string) => {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  return fetch(`${server.url}/api/files`, {
    method: 'POST',
    headers: { cookie: operator.cookie, 'x-csrf-token': operator.session.csrfToken },
    body: form,
  });
};

describe('file uploads', () => {
  it('stores an image, types it by content and serves it with safe headers', async () => {
    const response = await upload(PNG, 'photo.png', 'image/png');
    expect(response.status).toBe(201);
    const file = (await response.json()) as FileInfo;
    expect(file).toMatchObject({ name: 'photo.png', mime: 'image/png', size: PNG.length });
    const download = await fetch(server.url + file.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''photo.png");
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('labels an unknown type by its content and forces download for HTML', async () => {
    const html = await upload(
      Buffer.from('<script>alert(1)</script>'),
      'page.html',
      'application/octet-stream',
    );
    const file = (await html.json()) as FileInfo;
    expect(file.mime).toBe('text/plain');
    const document = await upload(PDF, 'invoice.pdf', 'application/pdf');
    const pdf = (await document.json()) as FileInfo;
    const download = await fetch(server.url + pdf.url);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('refuses a file whose content contradicts its declared type, storing nothing', async () => {
    const response = await upload(PDF, 'cat.png', 'image/png');
    expect(response.status).toBe(415);
    expect(((await response.json()) as ErrorBody).error.message).toBe(
      'The file is declared as image/png but its content is application/pdf',
    );
    const exe = await upload(
      Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0xff, 0xfe]),
      'doc.txt',
      'text/plain',
    );
    expect(exe.status).toBe(415);
  });

  it('refuses files over the limit and empty files', async () => {
    const big = await upload(Buffer.alloc(65 * 1024, 'a'), 'big.txt', 'text/plain');
    expect(big.status).toBe(413);
    expect(((await big.json()) as ErrorBody).error).toMatchObject({
      code: 'payload_too_large',
      field: 'file',
    });
    const empty = await upload(Buffer.alloc(0), 'empty.txt', 'text/plain');
    expect(empty.status).toBe(400);
  });

  it('refuses forged and expired download links', async () => {
    const file = (await (await upload(PNG, 'a.png', 'image/png')).json()) as FileInfo;
    const forged = file.url.replace(/sig=[^&]+/, 'sig=forged');
    expect((await fetch(server.url + forged)).status).toBe(403);
    const signedLongAgo = server.app.services.files.signedUrl(file.id, file.name, Date.now() - 5 * 3600_000);
    const expired = await fetch(server.url + signedLongAgo);
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as ErrorBody).error.message).toMatch(/expired/);
  });

  it('attaches uploaded files to messages, for visitors only their own uploads', async () => {
    const workspace = await createWorkspace(server);
    const visitor = await startVisitor(server, workspace.widgetKey);
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'screenshot.png');
    const uploaded = (await (
      await fetch(`${server.url}/api/widget/files`, {
        method: 'POST',
        headers: { 'x-visitor-token': visitor.token },
        body: form,
      })
    ).json()) as FileInfo;
    const socket = await connected(visitor.socket());
    const conversation = await openConversation(socket);
    const sent = (await (
      await visitor.request('POST', `/api/widget/conversations/${conversation.id}/messages`, {
        clientMsgId: clientId(),
        text: '',
        fileIds: [uploaded.id],
      })
    ).json()) as Message;
    expect(sent.attachments).toMatchObject([
      { fileId: uploaded.id, name: 'screenshot.png', mime: 'image/png' },
    ]);
    expect(sent.attachments[0]?.url).toMatch(/^\/files\//);
    socket.disconnect();
  });
});
