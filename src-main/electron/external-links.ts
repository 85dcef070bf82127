/**
 * The only pages the desktop app opens in the user's browser: documentation its UI links to.
 * A link the renderer shows must be listed here exactly; any other URL (another site, a
 * file:, a javascript:, a lookalike host) is never handed to the operating system
 * (Electron security checklist 15).
 */
export const EXTERNAL_LINKS: readonly string[] = [
  'https://keras.io/api/applications/',
  'https://www.tensorflow.org/js/guide/nodejs',
  'https://onnxruntime.ai/docs/',
];

const allowed = new Set(EXTERNAL_LINKS.map((link) => new URL(link).href));

/** True when `url` is exactly one of EXTERNAL_LINKS (https, no credentials). */
export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && !parsed.username && !parsed.password && allowed.has(parsed.href);
}
