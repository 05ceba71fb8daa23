// What browser clients need at run time without pulling in zod: constants, limits and the
// message-stream logic. Types still come from the package root (type imports cost nothing).
export * from './constants.js';
export * from './limits.js';
export * from './stream.js';
export * from './templates.js';
