// Completes the generated OpenAPI description with what the zod schemas of a route cannot say:
// who may call it (session, API token scope, roles), the Idempotency-Key header on writes open to
// tokens, and the error answers every route shares. Routes get this from their guard alone.
import type { RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '@frontline/protocol';
import { STAFF_RULE, type GuardedPreHandler, type StaffRule } from '../auth/guards.js';

type Transform = typeof jsonSchemaTransform;
type TransformInput = Parameters<Transform>[0];
type JsonObject = Record<string, unknown>;

const ERROR_SCHEMA = z.toJSONSchema(ErrorBody, { target: 'openapi-3.0' }) as JsonObject;
const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

export const SECURITY_SCHEMES = {
  bearer: {
    type: 'http' as const,
    scheme: 'bearer',
    description: 'An API token (`flt_...`) made by an admin, with scopes',
  },
  session: {
    type: 'apiKey' as const,
    in: 'cookie',
    name: 'fl_session',
    description: 'An operator session from POST /api/auth/login; writes also send X-CSRF-Token',
  },
};

export function publicApiTransform(input: TransformInput): ReturnType<Transform> {
  const result = jsonSchemaTransform(input);
  const rule = staffRuleOf(input.route);
  if (!rule) return result;
  const schema = { ...(result.schema as JsonObject) };
  const methods = [input.route.method].flat().map(String);
  const tokens = rule.scope !== undefined;
  schema.security = tokens ? [{ bearer: [] }, { session: [] }] : [{ session: [] }];
  schema.description = [schema.description, accessText(rule)].filter(Boolean).join('\n\n');
  if (tokens && methods.some((m) => WRITE_METHODS.includes(m))) {
    const headers = (schema.headers as JsonObject | undefined) ?? { type: 'object', properties: {} };
    schema.headers = {
      ...headers,
      properties: {
        ...((headers.properties as JsonObject | undefined) ?? {}),
        'idempotency-key': {
          type: 'string',
          maxLength: 255,
          description:
            'With an API token: the same key repeats the stored answer instead of acting twice (24 h)',
        },
      },
    };
  }
  const response = { ...((schema.response as JsonObject | undefined) ?? {}) };
  if (tokens) response['429'] = { description: 'Rate limited; see Retry-After', ...ERROR_SCHEMA };
  response['4xx'] ??= { description: 'The request was refused; the message says why', ...ERROR_SCHEMA };
  schema.response = response;
  return { ...result, schema };
}

function staffRuleOf(route: RouteOptions): StaffRule | undefined {
  const handlers = [route.preHandler ?? []].flat() as GuardedPreHandler[];
  for (const handler of handlers) {
    const rule = handler[STAFF_RULE];
    if (rule) return rule;
  }
  return undefined;
}

function accessText(rule: StaffRule): string {
  const roles = rule.roles ? `Operators with role ${rule.roles.join(' or ')}` : 'Operators';
  return rule.scope ? `${roles}, or an API token with scope \`${rule.scope}\`.` : `${roles} only (session).`;
}
