import * as z from 'zod';
import { ConfigSchema } from './config/schema.ts';
import { spendEventJsonSchema } from './event/schema.ts';
import { webhookPayloadJsonSchema } from './channels/webhook/payload.ts';

/** The JSON Schema of `spend-alerts.config.yaml`, for editor completion (what you write, before defaults). */
export function configJsonSchema(): Record<string, unknown> {
  return {
    title: 'spend-alerts configuration',
    ...z.toJSONSchema(ConfigSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }),
  };
}

/** Every JSON Schema the project publishes, by the file name it is committed under in `packages/core/schema/`. */
export function publishedSchemas(): Record<string, Record<string, unknown>> {
  return {
    'spend-event.v1.json': spendEventJsonSchema(),
    'config.v1.json': configJsonSchema(),
    'webhook-payload.v1.json': webhookPayloadJsonSchema(),
  };
}
