// What a file really is, judged by its bytes. The name and the browser's declared type are only
// claims: a file whose content contradicts its claim is refused.
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../errors.js';

const GENERIC_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** Declared types browsers send under another name for the same format. */
const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/x-zip-compressed': 'application/zip',
  'audio/mp3': 'audio/mpeg',
  'application/x-pdf': 'application/pdf',
};

const TEXT_TYPES = /^(text\/|application\/(json|xml|csv)$)/;

export async function detectContentType(bytes: Buffer, declared: string): Promise<string> {
  const claim = ALIASES[declared.toLowerCase()] ?? declared.toLowerCase();
  const sniffed = await fileTypeFromBuffer(bytes);
  if (sniffed) {
    if (GENERIC_TYPES.has(claim) || claim === sniffed.mime || sameContainer(claim, sniffed.mime))
      return sniffed.mime;
    throw lie(declared, sniffed.mime);
  }
  if (isUtf8Text(bytes)) {
    if (GENERIC_TYPES.has(claim) || TEXT_TYPES.test(claim))
      return TEXT_TYPES.test(claim) ? claim : 'text/plain';
    throw lie(declared, 'text');
  }
  if (GENERIC_TYPES.has(claim)) return 'application/octet-stream';
  throw lie(declared, 'unrecognised binary data');
}

/** Office documents are zip files; file-type names the container, the browser names the format. */
function sameContainer(claim: string, sniffed: string): boolean {
  return sniffed === 'application/zip' && claim.startsWith('application/vnd.openxmlformats-officedocument');
}

function isUtf8Text(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const lie = (declared: string, actual: string) =>
  new AppError(
    'unsupported_media_type',
    `The file is declared as ${declared} but its content is ${actual}`,
    'file',
  );
