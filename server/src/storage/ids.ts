// Row ids: UUIDv7, made by the app so both engines agree and ids sort by creation time.
import { v7 } from 'uuid';

export const newId = (): string => v7();
