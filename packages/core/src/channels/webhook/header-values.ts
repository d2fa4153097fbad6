/**
 * Header values written in the config file are not secret: the file is committed and printed by
 * `config validate`. A value that looks like a credential belongs in `headerSecrets`.
 */

/** Header names that carry credentials whatever their value looks like. */
const CREDENTIAL_NAME =
  /^(authorization|proxy-authorization|cookie)$|token|secret|passw|api-?key|auth|session|signature/i;

/** Values shaped like a credential: an auth scheme, a known token prefix, or a long opaque string. */
const CREDENTIAL_VALUE = [
  /^\s*(bearer|basic|token|digest|hmac|apikey|aws4-hmac-sha256)\s+\S/i,
  /(^|[^a-z0-9])(xox[a-z]?[-.]|xapp-|whsec_|sk_(live|test)_|sk-|ghp_|gho_|github_pat_|glpat-|AKIA[0-9A-Z]{12}|eyJ[A-Za-z0-9_-]{8,}\.)/i,
  /^[A-Za-z0-9+/=_.~-]{32,}$/,
];

/**
 * Why a literal header would hold a secret, or null when it reads as plain configuration.
 * @example secretLookingHeader('X-Source', 'spend-alerts') // null
 * @example secretLookingHeader('Authorization', 'Bearer abc') // 'Authorization carries credentials'
 */
export function secretLookingHeader(name: string, value: string): string | null {
  if (CREDENTIAL_NAME.test(name)) return `${name} carries credentials`;
  if (CREDENTIAL_VALUE.some((re) => re.test(value))) return 'the value looks like a credential';
  return null;
}
