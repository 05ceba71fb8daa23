// Upload (operators, API tokens, widget visitors) and signed download of files.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FileInfo, Id } from '@frontline/protocol';
import { AppError } from '../../errors.js';
import type { HttpApp } from '../../http.js';
import { requireStaff, requireVisitor, type PreHandler } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { FileService } from './service.js';

const tags = ['files'];
const uploadDescription =
  'multipart/form-data with one part named `file`. The type is judged by content; a file whose content contradicts its declared type is refused with 415.';

// Images, PDFs, audio and video open in the browser; anything else downloads, never renders.
const INLINE_TYPES = /^(image\/(png|jpeg|gif|webp)|application\/pdf|audio\/|video\/|text\/plain$)/;

export function fileRoutes(app: HttpApp, auth: AuthService, service: FileService, maxBytes: number): void {
  const upload = (guard: PreHandler, url: string, summary: string) =>
    app.post(url, {
      schema: {
        tags,
        summary,
        description: uploadDescription,
        consumes: ['multipart/form-data'],
        response: { 201: FileInfo },
      },
      preHandler: guard,
      handler: async (request, reply) =>
        reply.code(201).send(await service.upload(principalOf(request), await readUpload(request, maxBytes))),
    });
  upload(requireStaff(auth, { scope: 'files:write' }), '/api/files', 'Upload a file to attach to a message');
  upload(requireVisitor(auth), '/api/widget/files', 'Upload a file from the widget (visitor token)');

  app.get('/files/:id/:name', {
    schema: {
      tags,
      summary: 'Download a file by the signed link found in a message',
      params: z.object({ id: Id, name: z.string() }),
      querystring: z.object({ exp: z.coerce.number().int(), sig: z.string().max(100) }),
    },
    handler: async (request, reply) => {
      const { row, body } = await service.openSigned(request.params.id, request.query.exp, request.query.sig);
      const disposition = INLINE_TYPES.test(row.mime) ? 'inline' : 'attachment';
      return reply
        .header('content-type', row.mime)
        .header('content-length', row.size)
        .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(row.name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, max-age=3600')
        .send(body);
    },
  });
}

function principalOf(request: FastifyRequest) {
  if (!request.principal) throw new AppError('unauthorized', 'Log in first');
  return request.principal;
}

async function readUpload(request: FastifyRequest, maxBytes: number) {
  if (!request.isMultipart())
    throw new AppError('bad_request', 'Send the file as multipart/form-data in a part named "file"');
  const part = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
  if (!part || part.fieldname !== 'file')
    throw new AppError('bad_request', 'Send the file in a multipart part named "file"', 'file');
  const bytes = await part.toBuffer();
  return { bytes, filename: part.filename, declaredMime: part.mimetype };
}
