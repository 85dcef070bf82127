/**
 * How a browser page sends a file to `graft serve`: its bytes as base64 inside one request
 * (`predict.upload`, `library.uploadFile`), so uploads need no second channel beside the
 * WebSocket the contract already uses. One message carries at most 16 MB, hence the limit.
 */

/** Largest file one upload request carries (the main side refuses more). */
export const MAX_UPLOAD_BYTES = 12 * 1024 * 1024;

/** The bytes of a file as base64, in chunks so a large photo does not overflow the argument list. */
export async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
