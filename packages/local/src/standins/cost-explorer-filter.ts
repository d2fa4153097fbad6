/**
 * Cost Explorer's `Expression` (the `Filter` of GetCostAndUsage, GetCostForecast and
 * GetDimensionValues) and `GroupBy`, over the cells of the spend model: one account's cost of one
 * service. Each expression holds exactly one of `And`, `Or`, `Not`, `Dimensions`, `Tags`.
 */
import type { SimAccount, SimService } from '../sim/catalog.ts';
import type { CellMatch } from '../sim/spend-model.ts';
import { AwsServiceError, invalid, isObject } from './cost-explorer-protocol.ts';

/** The dimensions the simulated organization has values for. */
const DIMENSIONS = ['LINKED_ACCOUNT', 'SERVICE', 'RECORD_TYPE'] as const;
export type SimDimension = (typeof DIMENSIONS)[number];

/** Every simulated cost is plain usage; `Not RECORD_TYPE Credit` filters are common and must pass. */
const RECORD_TYPE = 'Usage';

/** A cell's value of a dimension. */
export function dimensionValue(key: SimDimension, account: SimAccount, service: SimService): string {
  return key === 'LINKED_ACCOUNT' ? account.id : key === 'SERVICE' ? service.name : RECORD_TYPE;
}

/** The predicate a `Filter` expression stands for; no filter picks everything. */
export function compileFilter(expression: unknown): CellMatch {
  if (expression === undefined || expression === null) return () => true;
  return compile(expression, 'Filter');
}

function compile(e: unknown, path: string): CellMatch {
  if (!isObject(e)) invalid(`${path} must be an Expression object`);
  const keys = ['And', 'Or', 'Not', 'Dimensions', 'Tags', 'CostCategories'].filter(
    (k) => e[k] !== undefined && e[k] !== null,
  );
  if (keys.length !== 1)
    invalid(
      `${path}: an Expression must have exactly one of And, Or, Not, Dimensions, Tags, CostCategories (got ${keys.join(', ') || 'none'})`,
    );
  const key = keys[0]!;
  if (key === 'And' || key === 'Or') {
    const list = e[key];
    if (!Array.isArray(list) || list.length < 2) invalid(`${path}.${key} needs at least two expressions`);
    const parts = list.map((x, i) => compile(x, `${path}.${key}[${i}]`));
    return key === 'And' ? (a, s) => parts.every((p) => p(a, s)) : (a, s) => parts.some((p) => p(a, s));
  }
  if (key === 'Not') {
    const inner = compile(e.Not, `${path}.Not`);
    return (a, s) => !inner(a, s);
  }
  if (key === 'CostCategories')
    throw new AwsServiceError(
      'ValidationException',
      `${path}.CostCategories: the simulated organization has no cost categories`,
    );
  return key === 'Dimensions' ? dimensions(e.Dimensions, `${path}.Dimensions`) : tags(e.Tags, `${path}.Tags`);
}

function dimensions(d: unknown, path: string): CellMatch {
  if (!isObject(d)) invalid(`${path} must be an object`);
  const key = d.Key;
  if (typeof key !== 'string' || !(DIMENSIONS as readonly string[]).includes(key)) {
    invalid(
      `${path}.Key ${JSON.stringify(key)} is not supported by the local Cost Explorer (${DIMENSIONS.join(', ')})`,
    );
  }
  const values = readValues(d.Values, path);
  const options = Array.isArray(d.MatchOptions) ? d.MatchOptions : [];
  const bad = options.find((o) => o !== 'EQUALS' && o !== 'CASE_SENSITIVE' && o !== 'CASE_INSENSITIVE');
  if (bad !== undefined)
    invalid(`${path}.MatchOptions: ${JSON.stringify(bad)} is not valid for Dimensions in this operation`);
  const fold = options.includes('CASE_INSENSITIVE');
  const wanted = new Set(values.map((v) => (fold ? v.toLowerCase() : v)));
  return (a, s) => {
    const value = dimensionValue(key as SimDimension, a, s);
    return wanted.has(fold ? value.toLowerCase() : value);
  };
}

function tags(t: unknown, path: string): CellMatch {
  if (!isObject(t) || typeof t.Key !== 'string' || t.Key === '') invalid(`${path}.Key is required`);
  const key = t.Key;
  const options = Array.isArray(t.MatchOptions) ? t.MatchOptions : [];
  // ABSENT, or the value "", picks costs without the tag.
  if (options.includes('ABSENT')) return (a) => a.tags?.[key] === undefined;
  const values = new Set(readValues(t.Values, path));
  return (a) => values.has(a.tags?.[key] ?? '');
}

function readValues(values: unknown, path: string): string[] {
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string'))
    invalid(`${path}.Values must be a non-empty list of strings`);
  return values as string[];
}

/** One `GroupBy` entry: how a cell's group key is spelled. */
export interface Grouping {
  type: 'DIMENSION' | 'TAG';
  key: string;
  keyOf(account: SimAccount, service: SimService): string;
}

/** Reads `GroupBy`: at most two, no repeats; tag groups are keyed `<tag>$<value>` (`team$` when untagged). */
export function readGroupBy(value: unknown): Grouping[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) invalid('GroupBy must be a list');
  if (value.length > 2) invalid('You can only group by up to two different groups');
  const seen = new Set<string>();
  return value.map((g, i): Grouping => {
    if (!isObject(g) || typeof g.Key !== 'string' || (g.Type !== 'DIMENSION' && g.Type !== 'TAG'))
      invalid(`GroupBy[${i}] needs Type DIMENSION or TAG and a Key`);
    const id = `${g.Type}:${g.Key}`;
    if (seen.has(id)) invalid(`GroupBy[${i}] repeats ${g.Key}`);
    seen.add(id);
    const key = g.Key;
    if (g.Type === 'TAG') return { type: 'TAG', key, keyOf: (a) => `${key}$${a.tags?.[key] ?? ''}` };
    if (!(DIMENSIONS as readonly string[]).includes(key))
      invalid(`GroupBy[${i}]: dimension ${key} is not supported by the local Cost Explorer (${DIMENSIONS.join(', ')})`);
    return { type: 'DIMENSION', key, keyOf: (a, s) => dimensionValue(key as SimDimension, a, s) };
  });
}
