import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh random access token for one `graft serve` run. */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The query parameter that carries the token on the first visit. */
export const TOKEN_PARAM = 'token';

/** Cookie that carries the token after the first visit, so assets and the socket need no query string. */
export function tokenCookieName(port: number): string {
  return `graft_token_${port}`;
}

/** Compares in constant time so the token cannot be guessed byte by byte. */
export function tokensEqual(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Where a request carried a token: the `token` query parameter, else the cookie. */
export function tokenFromRequest(request: IncomingMessage, url: URL, cookieName: string): { token: string | null; fromQuery: boolean } {
  const fromQuery = url.searchParams.get(TOKEN_PARAM);
  if (fromQuery) return { token: fromQuery, fromQuery: true };
  const cookies = request.headers.cookie?.split(';') ?? [];
  for (const cookie of cookies) {
    const [name, ...value] = cookie.trim().split('=');
    if (name === cookieName) return { token: safeDecode(value.join('=')), fromQuery: false };
  }
  return { token: null, fromQuery: false };
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
