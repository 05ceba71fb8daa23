// Operator login, the session the workspace app holds, users and integration tokens.
import { z } from 'zod';
import { Id, Locale, Timestamp } from './common.js';
import { ApiScope, UserRole } from './enums.js';

export const LoginRequest = z.object({
  email: z.email().max(254),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const User = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: UserRole,
  locale: Locale,
  createdAt: Timestamp,
});
export type User = z.infer<typeof User>;

export const WorkspaceInfo = z.object({
  id: Id,
  name: z.string(),
  widgetKey: z.string(),
  defaultLocale: Locale,
  allowedOrigins: z.array(z.string()),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfo>;

/** What the workspace app gets after login and on reload; csrfToken goes into the X-CSRF-Token header. */
export const Session = z.object({
  user: User,
  workspace: WorkspaceInfo,
  csrfToken: z.string(),
});
export type Session = z.infer<typeof Session>;

export const CreateUserRequest = z.object({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(120),
  password: z.string().min(10, 'Use at least 10 characters').max(200),
  role: UserRole.default('operator'),
  locale: Locale.default('ru'),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const UpdateMeRequest = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  locale: Locale.optional(),
});
export type UpdateMeRequest = z.infer<typeof UpdateMeRequest>;

export const UpdateWorkspaceRequest = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  defaultLocale: Locale.optional(),
  /** Sites allowed to embed the widget, as origins (`https://shop.example`); empty allows any. */
  allowedOrigins: z.array(z.url().max(200)).max(50).optional(),
});
export type UpdateWorkspaceRequest = z.infer<typeof UpdateWorkspaceRequest>;

export const CreateApiTokenRequest = z.object({
  name: z.string().trim().min(1).max(120),
  scopes: z.array(ApiScope).min(1),
});
export type CreateApiTokenRequest = z.infer<typeof CreateApiTokenRequest>;

export const ApiToken = z.object({
  id: Id,
  name: z.string(),
  scopes: z.array(ApiScope),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** Returned once, at creation: the secret is never shown again. */
export const CreatedApiToken = ApiToken.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;
