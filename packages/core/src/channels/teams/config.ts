import * as z from 'zod';
import { receiverBase, SecretRefSchema } from '../../config/primitives.ts';

/**
 * A Microsoft Teams channel or chat, reached through a Teams Workflows webhook ("When a Teams
 * webhook request is received"), the form Teams accepts since Office 365 connectors were retired.
 * Its URL carries a signature (`sig=`) that lets anyone post: it is always a secret.
 */
export const TeamsReceiverSchema = z
  .object({
    ...receiverBase,
    type: z.literal('teams'),
    /** The name of the secret holding the workflow's HTTP POST URL. */
    urlSecret: SecretRefSchema,
    timeoutMs: z.number().int().min(100).max(30_000).default(10_000),
  })
  .strict();
export type TeamsReceiver = z.infer<typeof TeamsReceiverSchema>;
