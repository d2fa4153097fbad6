import { spendEventJsonSchema } from './event/schema.ts';

/** Every JSON Schema the project publishes, by the file name it is committed under in `packages/core/schema/`. */
export function publishedSchemas(): Record<string, Record<string, unknown>> {
  return {
    'spend-event.v1.json': spendEventJsonSchema(),
  };
}
