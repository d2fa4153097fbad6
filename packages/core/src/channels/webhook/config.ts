import * as z from 'zod';
import { EVENT_KINDS } from '../../event/kinds.ts';
import { SecretRefSchema } from '../../config/primitives.ts';
import { secretLookingHeader } from './header-values.ts';

const FORBIDDEN_HEADERS = [
  'content-type',
  'content-length',
  'host',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
];

function noForbiddenHeader(h: Record<string, unknown>): boolean {
  return !Object.keys(h).some((k) => FORBIDDEN_HEADERS.includes(k.toLowerCase()));
}

const HeadersSchema = z
  .record(z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name'), z.string())
  .default({})
  .refine(noForbiddenHeader, { message: `may not set ${FORBIDDEN_HEADERS.join(', ')}` });

export const WebhookReceiverSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, dot, dash and underscore'),
    type: z.literal('webhook'),
    /** The endpoint, when it is not itself a secret. Give exactly one of `url` and `urlSecret`. */
    url: z.url({ protocol: /^https?$/ }).optional(),
    /** The name of a secret holding the endpoint URL, for URLs that carry a token. */
    urlSecret: SecretRefSchema.optional(),
    /** The name of the Standard Webhooks signing secret (`whsec_…`). */
    signingSecret: SecretRefSchema,
    /** Only these kinds are sent; all when left out. */
    kinds: z.array(z.enum(EVENT_KINDS)).min(1).optional(),
    /** Extra request headers with literal values; a value that looks like a credential is refused. */
    headers: HeadersSchema.superRefine((h, ctx) => {
      for (const [name, value] of Object.entries(h)) {
        const why = secretLookingHeader(name, value);
        if (why)
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `${why}: secret values are not written in the file; name a secret in headerSecrets: { ${name}: <SecretName> }`,
          });
      }
    }),
    /**
     * Extra request headers whose values are secrets, by name (`Authorization: PartnerApiToken`),
     * resolved at delivery. Sent to the configured endpoint's origin only, never across a redirect.
     */
    headerSecrets: z
      .record(z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name'), SecretRefSchema)
      .default({})
      .refine(noForbiddenHeader, { message: `may not set ${FORBIDDEN_HEADERS.join(', ')}` }),
    /** Include the original AWS message text in `data.raw`. */
    includeRaw: z.boolean().default(false),
    /**
     * Allow private destinations (RFC 1918, 100.64.0.0/10, unique-local fc00::/7) for endpoints inside
     * your network. Loopback, link-local and cloud metadata stay refused; loopback opens outside
     * Lambda only, for the local runtime (npm start).
     */
    allowPrivateNetwork: z.boolean().default(false),
    timeoutMs: z.number().int().min(100).max(30_000).default(5_000),
  })
  .strict()
  .superRefine((r, ctx) => {
    if ((r.url === undefined) === (r.urlSecret === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'give exactly one of url and urlSecret' });
    }
    const lower = Object.keys(r.headers).map((k) => k.toLowerCase());
    for (const name of Object.keys(r.headerSecrets)) {
      if (lower.includes(name.toLowerCase()))
        ctx.addIssue({ code: 'custom', path: ['headerSecrets', name], message: 'also set in headers: give it once' });
    }
    // The scheme as the URL parser reads it: `HTTP://` is http too.
    if (r.url !== undefined && new URL(r.url).protocol === 'http:' && !r.allowPrivateNetwork) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'must be https (plain http only with allowPrivateNetwork: true, for local endpoints)',
      });
    }
  });
export type WebhookReceiver = z.infer<typeof WebhookReceiverSchema>;
