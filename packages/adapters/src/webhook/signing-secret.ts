/**
 * Standard Webhooks signing secrets: `whsec_` and the base64 of a random key. The specification
 * asks for keys of 24 to 64 bytes; `standardwebhooks` signs with whatever it decodes, so `hello`
 * (3 bytes) or `whsec_AA==` (1 byte) would give signatures anyone could forge.
 */

const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;

/**
 * What is wrong with a signing secret, as the end of a sentence naming it, or null when it is a
 * `whsec_` secret whose key decodes to 24 to 64 bytes. Never quotes the value.
 * @example signingSecretProblem('whsec_AA==') // 'decodes to a 1-byte key; …'
 */
export function signingSecretProblem(secret: string): string | null {
  if (!secret.startsWith('whsec_'))
    return 'is not a Standard Webhooks secret: it must start with whsec_ followed by a base64 key of 24 to 64 bytes';
  const key = secret.slice('whsec_'.length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(key) || key.length % 4 === 1)
    return 'is not base64 after whsec_ (a Standard Webhooks secret is whsec_ and a base64 key)';
  const bytes = Buffer.from(key, 'base64').length;
  if (bytes < MIN_KEY_BYTES || bytes > MAX_KEY_BYTES)
    return `decodes to a ${bytes}-byte key; a Standard Webhooks key is ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes (whsec_$(openssl rand -base64 32))`;
  return null;
}
