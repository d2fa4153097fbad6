import * as z from 'zod';
import { receiverBase } from '../../config/primitives.ts';

const Mention = z
  .string()
  .regex(
    /^(@here|@channel|<@[UW][A-Z0-9]+>|<!subteam\^[A-Z0-9]+>)$/,
    'use @here, @channel, <@U123ABC> or <!subteam^S123ABC>',
  );

export const SlackReceiverSchema = z
  .object({
    ...receiverBase,
    type: z.literal('slack'),
    /** A channel name (`#finops`) or id (`C0123456789`). The bot must be a member. */
    channel: z
      .string()
      .regex(
        /^(#[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{8,})$/,
        'a channel such as #finops-alerts or an id such as C0123456789',
      ),
    /** Who to mention, per severity. Nobody is mentioned for a severity left out. */
    mention: z
      .object({ critical: Mention.optional(), warning: Mention.optional(), info: Mention.optional() })
      .strict()
      .prefault({}),
    /** Post later alerts for the same budget and period, or the same alarm or anomaly, as thread replies. */
    threads: z.boolean().default(true),
  })
  .strict();
export type SlackReceiver = z.infer<typeof SlackReceiverSchema>;
