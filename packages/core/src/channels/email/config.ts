import * as z from 'zod';
import { receiverBase } from '../../config/primitives.ts';

export const EmailReceiverSchema = z
  .object({
    ...receiverBase,
    type: z.literal('email'),
    to: z.array(z.email()).min(1),
    cc: z.array(z.email()).default([]),
  })
  .strict();
export type EmailReceiver = z.infer<typeof EmailReceiverSchema>;
