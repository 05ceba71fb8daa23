// Base64 of typed arrays, so that a model's weights fit in JSON at a third more than their bytes
// (decimal text would take three times as much). Written here because the package runs wherever
// the server or a worker does, with no Node Buffer or DOM btoa assumed.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE_OF = new Map([...ALPHABET].map((char, value) => [char, value]));

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const available = Math.min(3, bytes.length - i);
    for (let j = 0; j < 4; j++) {
      parts.push(j <= available ? ALPHABET[(chunk >> (18 - 6 * j)) & 63]! : '=');
    }
  }
  return parts.join('');
}

export function base64ToBytes(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let byte = 0;
  for (let i = 0; i < clean.length; i += 4) {
    let chunk = 0;
    for (let j = 0; j < 4; j++) {
      const char = clean[i + j];
      const value = char === undefined ? 0 : VALUE_OF.get(char);
      if (value === undefined) throw new Error(`not base64: "${char}" at ${i + j}`);
      chunk = (chunk << 6) | value;
    }
    for (let j = 0; j < 3 && byte < bytes.length; j++) bytes[byte++] = (chunk >> (16 - 8 * j)) & 255;
  }
  return bytes;
}

// Typed arrays are stored little-endian whatever the machine, so a model moves between hosts.
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function littleEndianBytes(array: Float32Array | Uint32Array): Uint8Array {
  const bytes = new Uint8Array(array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength));
  if (!LITTLE_ENDIAN_HOST) swapWords(bytes);
  return bytes;
}

function swapWords(bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i += 4) bytes.subarray(i, i + 4).reverse();
}

function hostBytes(text: string): ArrayBuffer {
  const bytes = base64ToBytes(text);
  if (bytes.length % 4 !== 0) throw new Error('a stored array must hold whole 4-byte numbers');
  if (!LITTLE_ENDIAN_HOST) swapWords(bytes);
  return bytes.buffer as ArrayBuffer;
}

export function float32ToBase64(array: Float32Array): string {
  return bytesToBase64(littleEndianBytes(array));
}

export function base64ToFloat32(text: string): Float32Array {
  return new Float32Array(hostBytes(text));
}

export function uint32ToBase64(array: Uint32Array): string {
  return bytesToBase64(littleEndianBytes(array));
}

export function base64ToUint32(text: string): Uint32Array {
  return new Uint32Array(hostBytes(text));
}
