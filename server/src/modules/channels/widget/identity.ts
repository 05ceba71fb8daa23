// Identity verification for host sites' logged-in users. The site's server signs the user's id
// with the workspace's identity secret (HMAC-SHA256, hex), or issues an HS256 JWT with it; the
// widget passes either on, and only a valid one lets the visitor become that user's contact.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { IdentifyRequest } from '@frontline/protocol';
import { AppError } from '../../../errors.js';

export interface Identity {
  /** The host site's id for its user; null when the call proved nothing. */
  externalId: string | null;
  email?: string;
  name?: string;
  phone?: string;
}

const TokenClaims = z.object({
  sub: z.string().trim().min(1).max(200),
  email: z.email().max(254).optional(),
  name: z.string().trim().min(1).max(200).optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{5,30}$/)
    .optional(),
});

export function signIdentity(secret: string, id: string): string {
  return createHmac('sha256', secret).update(id, 'utf8').digest('hex');
}

/** Compares digests in constant time, so response timing reveals nothing of the right signature. */
export function isValidSignature(secret: string, id: string, signature: string): boolean {
  const expected = Buffer.from(signIdentity(secret, id), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const forged = () =>
  new AppError(
    'forbidden',
    'The identity signature does not match this user id; sign the id on your server with the workspace identity secret (see docs/widget.md)',
    'signature',
  );

type Parsed = z.output<typeof IdentifyRequest>;

/**
 * What an identify() call proves. A signature or token that does not check out is refused (403),
 * never downgraded to an unverified call; without either, only the profile fields count.
 */
export async function verifyIdentity(
  secret: string,
  request: Parsed,
  required: boolean,
): Promise<Identity & { verified: boolean }> {
  const profile = {
    ...(request.email ? { email: request.email.toLowerCase() } : {}),
    ...(request.name ? { name: request.name } : {}),
    ...(request.phone ? { phone: request.phone } : {}),
  };
  if (request.token !== undefined)
    return { ...profile, ...(await verifyToken(secret, request.token)), verified: true };
  if (request.signature !== undefined && request.id !== undefined) {
    if (!isValidSignature(secret, request.id, request.signature)) throw forged();
    return { ...profile, externalId: request.id, verified: true };
  }
  if (required)
    throw new AppError(
      'forbidden',
      'This workspace accepts identify() only with a signature or token from your server (see docs/widget.md)',
      'signature',
    );
  return { ...profile, externalId: null, verified: false };
}

async function verifyToken(secret: string, token: string): Promise<Identity> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['sub'],
    });
    const claims = TokenClaims.parse(payload);
    return {
      externalId: claims.sub,
      ...(claims.email ? { email: claims.email.toLowerCase() } : {}),
      ...(claims.name ? { name: claims.name } : {}),
      ...(claims.phone ? { phone: claims.phone } : {}),
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired)
      throw new AppError(
        'forbidden',
        'The identity token has expired; issue a fresh one on your server',
        'token',
      );
    throw new AppError(
      'forbidden',
      'The identity token is not valid; sign it (HS256) on your server with the workspace identity secret (see docs/widget.md)',
      'token',
    );
  }
}
