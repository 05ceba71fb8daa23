// Files the visitor attaches: uploaded at once (XMLHttpRequest, because fetch reports no upload
// progress), shown with a preview and progress in the composer, and sent with the next message.
import { LIMITS, VISITOR_TOKEN_HEADER } from '@frontline/protocol/client';
import type { ErrorBody, FileInfo } from '@frontline/protocol';

export interface Upload {
  /** Local id, until the server gives the file one. */
  id: string;
  name: string;
  mime: string;
  /** 0 to 1. */
  progress: number;
  /** An object URL of the picked image, shown before and after the upload. */
  previewUrl: string | null;
  fileId: string | null;
  error: string | null;
}

export const MAX_UPLOAD_MB = Math.floor(LIMITS.fileMaxBytes / (1024 * 1024));

export const isTooBig = (file: File) => file.size > LIMITS.fileMaxBytes;

export function newUpload(file: File, id: string): Upload {
  return {
    id,
    name: file.name,
    mime: file.type,
    progress: 0,
    previewUrl: file.type.startsWith('image/') ? URL.createObjectURL(file) : null,
    fileId: null,
    error: null,
  };
}

/** Sends the file; reports progress; resolves with the stored file or rejects with the server's words. */
export function uploadFile(
  visitorToken: string,
  file: File,
  onProgress: (fraction: number) => void,
): { done: Promise<FileInfo>; abort: () => void } {
  const request = new XMLHttpRequest();
  const done = new Promise<FileInfo>((resolve, reject) => {
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body = parse(request.responseText);
      if (request.status === 201) resolve(body as FileInfo);
      else reject(new Error((body as ErrorBody | null)?.error.message ?? `HTTP ${request.status}`));
    };
    request.onerror = () => reject(new Error(''));
    request.onabort = () => reject(new Error(''));
  });
  const form = new FormData();
  form.append('file', file, file.name);
  request.open('POST', '/api/widget/files');
  request.setRequestHeader(VISITOR_TOKEN_HEADER, visitorToken);
  request.send(form);
  return { done, abort: () => request.abort() };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
