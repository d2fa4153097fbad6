import type { Config, Receiver, RouteConfig } from '../config/schema.ts';
import type { SpendEvent } from '../event/schema.ts';
import { eventAmount, eventLabels, type AccountDirectory } from './labels.ts';
import { formatMatcher, matches, type Labels } from './matchers.ts';

/** Settings in force at a route after inheritance. */
export interface RouteSettings {
  receiver: string;
  groupBy: string[];
  groupWait: number;
  groupInterval: number;
  repeatInterval: number;
  sendResolved: boolean;
  muteTimeWindows: string[];
}

/** Defaults of the top-level route, as in Alertmanager but with a day between repeats. */
export const ROUTE_DEFAULTS: RouteSettings = {
  receiver: '',
  groupBy: ['kind', 'accountId'],
  groupWait: 30_000,
  groupInterval: 300_000,
  repeatInterval: 86_400_000,
  sendResolved: true,
  muteTimeWindows: [],
};

/** One receiver an event goes to, and the route that sent it there. */
export interface RouteMatch {
  /** Where the route sits in the tree: `route.routes[1].routes[0]`. */
  path: string;
  /** The route's `name`, or its path. */
  route: string;
  receiver: Receiver;
  settings: RouteSettings;
}

/** One line of `spend-alerts route`: a route visited, whether it matched, and why. */
export interface RouteTraceStep {
  path: string;
  name: string | null;
  depth: number;
  matched: boolean;
  reasons: string[];
}

export interface RoutingResult {
  matches: RouteMatch[];
  trace: RouteTraceStep[];
}

/**
 * Routes an event through the tree, as Alertmanager does: the top-level route matches every
 * event; a matching child is entered depth first; a route none of whose children match is the
 * match; siblings after a match are skipped unless it has `continue: true`. Children inherit
 * every setting they do not set.
 *
 * Only `matches` is worked out up front: `trace`, the explanation `spend-alerts route` prints, is
 * built the first time it is read, since the pipeline never reads it and building every reason's
 * text cost more than the routing itself.
 * @example routeEvent(event, config).matches.map((m) => m.receiver.name)
 */
export function routeEvent(
  event: SpendEvent,
  config: Config,
  accounts: AccountDirectory = directoryOf(config),
): RoutingResult {
  const tree = compiledTree(config.route);
  const labels = eventLabels(event, accounts);
  const amount = eventAmount(event);
  const found: CompiledRoute[] = [];
  collect(tree, labels, amount, event, found);
  const receivers = receiversByName(config.receivers);
  const matches: RouteMatch[] = [];
  for (const f of found) {
    const receiver = receivers.get(f.settings.receiver);
    if (!receiver || receiverRefuses(receiver, event)) continue; // a missing receiver cannot happen with a loaded config
    if (matches.some((m) => m.receiver.name === receiver.name)) continue; // one delivery per receiver
    matches.push({ path: f.path, route: f.name, receiver, settings: f.settings });
  }
  return new Routing(matches, { tree, labels, amount, event, receivers });
}

/** What `explain` needs to build a trace later. */
interface Walk {
  tree: CompiledRoute;
  labels: Labels;
  amount: number | null;
  event: SpendEvent;
  receivers: Map<string, Receiver>;
}

/**
 * A routing result whose trace is built on first read. A class, not an object literal with a
 * getter: V8 defines a literal's getter anew each time, which tripled the cost of routing and
 * kept the young generation full.
 */
class Routing implements RoutingResult {
  readonly matches: RouteMatch[];
  #walk: Walk | null;
  #trace: RouteTraceStep[] = [];

  constructor(matches: RouteMatch[], walk: Walk) {
    this.matches = matches;
    this.#walk = walk;
  }

  get trace(): RouteTraceStep[] {
    if (this.#walk) {
      this.#trace = explain(this.#walk);
      this.#walk = null;
    }
    return this.#trace;
  }

  /** Serialized as the plain result it stands for. */
  toJSON(): { matches: RouteMatch[]; trace: RouteTraceStep[] } {
    return { matches: this.matches, trace: this.trace };
  }
}

/** A route with its path, name and inherited settings worked out once per config. */
interface CompiledRoute {
  route: RouteConfig;
  path: string;
  /** The route's `name`, or its path. */
  name: string;
  settings: RouteSettings;
  children: CompiledRoute[];
}

// Keyed on the (immutable, loaded) route tree and receiver list, so a config built by spreading
// another with a new route or receivers gets its own entry.
const compiledTrees = new WeakMap<RouteConfig, CompiledRoute>();
const receiverMaps = new WeakMap<readonly Receiver[], Map<string, Receiver>>();

function compiledTree(route: RouteConfig): CompiledRoute {
  let tree = compiledTrees.get(route);
  if (!tree) {
    tree = compile(route, 'route', ROUTE_DEFAULTS);
    compiledTrees.set(route, tree);
  }
  return tree;
}

function compile(route: RouteConfig, path: string, parent: RouteSettings): CompiledRoute {
  const settings = inherit(parent, route);
  return {
    route,
    path,
    name: route.name ?? path,
    settings,
    children: route.routes.map((child, i) => compile(child, `${path}.routes[${i}]`, settings)),
  };
}

function receiversByName(receivers: readonly Receiver[]): Map<string, Receiver> {
  let byName = receiverMaps.get(receivers);
  if (!byName) {
    byName = new Map(receivers.map((r) => [r.name, r]));
    receiverMaps.set(receivers, byName);
  }
  return byName;
}

/** Adds the routes that take the event under a matching `node`, in tree order. */
function collect(
  node: CompiledRoute,
  labels: Labels,
  amount: number | null,
  event: SpendEvent,
  found: CompiledRoute[],
): void {
  let childMatched = false;
  for (const child of node.children) {
    if (!conditionsHold(child.route, labels, amount, event)) continue;
    collect(child, labels, amount, event, found);
    childMatched = true;
    if (!child.route.continue) break;
  }
  if (!childMatched) found.push(node);
}

/** Whether every condition of a (non top-level) route holds: what `whyMatches` explains. */
function conditionsHold(route: RouteConfig, labels: Labels, amount: number | null, event: SpendEvent): boolean {
  for (const m of route.matchers) if (!matches(m, labels)) return false;
  if (route.amountAtLeast !== undefined && !(amount !== null && amount >= route.amountAtLeast)) return false;
  if (route.percentOfLimitAtLeast !== undefined) {
    const pct = event.kind === 'budget' ? event.budget.percentOfLimit : null;
    if (!(pct !== null && pct >= route.percentOfLimitAtLeast)) return false;
  }
  return true;
}

/** The same walk as `collect`, recording every route visited with its reasons, then each receiver that refused. */
function explain({ tree, labels, amount, event, receivers }: Walk): RouteTraceStep[] {
  const trace: RouteTraceStep[] = [];
  const found: CompiledRoute[] = [];
  const visit = (node: CompiledRoute, depth: number): boolean => {
    const reasons =
      depth === 0 ? ['top-level route: matches every event'] : whyMatches(node.route, labels, amount, event);
    const matched = depth === 0 || reasons.every((r) => !r.startsWith('✗'));
    trace.push({ path: node.path, name: node.route.name ?? null, depth, matched, reasons });
    if (!matched) return false;
    let childMatched = false;
    for (const child of node.children) {
      if (visit(child, depth + 1)) {
        childMatched = true;
        if (!child.route.continue) break;
      }
    }
    if (!childMatched) found.push(node);
    return true;
  };
  visit(tree, 0);
  for (const f of found) {
    const receiver = receivers.get(f.settings.receiver);
    const refusal = receiver ? receiverRefuses(receiver, event) : null;
    if (receiver && refusal)
      trace.push({
        path: f.path,
        name: f.name,
        depth: 0,
        matched: false,
        reasons: [`✗ receiver ${receiver.name}: ${refusal}`],
      });
  }
  return trace;
}

/**
 * The settings in force at a route path (`route.routes[1].routes[0]`), inheritance applied: for work
 * that resumes later, such as flushing a group, with the current config. Null when the path no
 * longer exists.
 */
export function settingsAt(config: Config, path: string): RouteSettings | null {
  if (!path.startsWith('route')) return null;
  let node: RouteConfig | undefined = config.route;
  let settings = inherit(ROUTE_DEFAULTS, node);
  for (const m of path.slice('route'.length).matchAll(/\.routes\[(\d+)\]/g)) {
    node = node?.routes[Number(m[1])];
    if (!node) return null;
    settings = inherit(settings, node);
  }
  return settings;
}

/** The account directory the config's `accounts:` section describes. */
export function directoryOf(config: Pick<Config, 'accounts'>): AccountDirectory {
  // Own keys only: an account id read from a message ("constructor") must not find Object's properties.
  return (id) => (Object.hasOwn(config.accounts, id) ? config.accounts[id] : undefined);
}

function inherit(parent: RouteSettings, route: RouteConfig): RouteSettings {
  return {
    receiver: route.receiver ?? parent.receiver,
    groupBy: route.groupBy ?? parent.groupBy,
    groupWait: route.groupWait ?? parent.groupWait,
    groupInterval: route.groupInterval ?? parent.groupInterval,
    repeatInterval: route.repeatInterval ?? parent.repeatInterval,
    sendResolved: route.sendResolved ?? parent.sendResolved,
    muteTimeWindows: route.muteTimeWindows ?? parent.muteTimeWindows,
  };
}

/** One reason per condition of the route, `✓` or `✗` first. */
function whyMatches(route: RouteConfig, labels: Labels, amount: number | null, event: SpendEvent): string[] {
  const reasons = route.matchers.map((m) => {
    const value = labels[m.label];
    const shown =
      value === undefined || value === ''
        ? '(none)'
        : Array.isArray(value)
          ? `[${value.join(', ')}]`
          : JSON.stringify(value);
    return `${matches(m, labels) ? '✓' : '✗'} ${formatMatcher(m)} (${m.label} is ${shown})`;
  });
  if (route.amountAtLeast !== undefined) {
    const ok = amount !== null && amount >= route.amountAtLeast;
    reasons.push(`${ok ? '✓' : '✗'} amount ${amount ?? '(none)'} ≥ ${route.amountAtLeast}`);
  }
  if (route.percentOfLimitAtLeast !== undefined) {
    const pct = event.kind === 'budget' ? event.budget.percentOfLimit : null;
    const ok = pct !== null && pct >= route.percentOfLimitAtLeast;
    reasons.push(`${ok ? '✓' : '✗'} percent of limit ${pct ?? '(none)'} ≥ ${route.percentOfLimitAtLeast}`);
  }
  return reasons.length ? reasons : ['✓ no conditions'];
}

/** Why a receiver takes no event of this kind (a webhook's `kinds` filter), or null. */
function receiverRefuses(receiver: Receiver, event: SpendEvent): string | null {
  if (receiver.type === 'webhook' && receiver.kinds && !receiver.kinds.includes(event.kind)) {
    return `takes only ${receiver.kinds.join(', ')}`;
  }
  return null;
}
