/**
 * The canonical event's constants, apart from its zod schema (`schema.ts`), so that code needing only
 * these (renderers, grouping) does not build the schema when it loads.
 */

/** Field names are a contract with webhook subscribers; additive changes keep it, breaking ones raise it. */
export const SCHEMA_VERSION = 1 as const;

export const EVENT_KINDS = [
  'budget',
  'billing-alarm',
  'alarm',
  'anomaly',
  'budget-adjustment',
  'unrecognized',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
