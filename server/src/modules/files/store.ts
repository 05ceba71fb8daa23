// Where file bytes live. The embedded default is a folder under DATA_DIR; an S3-compatible store
// can implement the same three calls later without touching the rest of the server.
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

export interface FileStore {
  put(key: string, bytes: Buffer): Promise<void>;
  read(key: string): Readable;
  remove(key: string): Promise<void>;
}

export class DiskFileStore implements FileStore {
  constructor(private readonly root: string) {}

  async put(key: string, bytes: Buffer): Promise<void> {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Write under a temporary name and rename, so a crash never leaves a half file behind a key.
    const temporary = `${file}.part`;
    await writeFile(temporary, bytes);
    await rename(temporary, file);
  }

  read(key: string): Readable {
    return createReadStream(this.pathOf(key));
  }

  remove(key: string): Promise<void> {
    return rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    if (!/^[A-Za-z0-9/_-]+$/.test(key)) throw new Error(`Unsafe storage key: ${key}`);
    return path.join(this.root, key);
  }
}
