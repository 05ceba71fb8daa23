// Uploaded files: checked by content, stored behind a storage interface, fetched by signed URL.
import { z } from 'zod';
import { Id, Timestamp } from './common.js';

export const FileInfo = z.object({
  id: Id,
  name: z.string(),
  mime: z.string(),
  size: z.number().int().nonnegative(),
  url: z.string(),
  createdAt: Timestamp,
});
export type FileInfo = z.infer<typeof FileInfo>;
