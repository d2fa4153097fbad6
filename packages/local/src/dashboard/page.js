/**
 * The spend-alerts dashboard: loads /api/state once, then applies the /api/stream updates
 * (Server-Sent Events) without a reload, reconnecting when the stream drops.
 *
 * Everything shown here came from AWS messages and emails, so no string from the state is ever
 * given to the HTML parser, with two exceptions that go through Trusted Types policies: Slack
 * mrkdwn, converted by `mrkdwnToHtml` (which escapes everything it does not itself produce), and
 * an email's HTML, which goes only into a `sandbox=""` iframe's srcdoc. All other markup is built
 * with DOM calls and text nodes.
 *
 * data-testid reference (for tests):
 *   connection (data-state: connecting|live|reconnecting), clock, clock-speed
 *   delivery-count-slack, delivery-count-email, delivery-count-webhook, delivery-count-teams
 *   spend-chart, spend-stats, spend-mtd, spend-forecast, chart-budget (data-budget), chart-forecast
 *   events, event-count, event-row (data-event-id, data-kind, data-severity), event-severity,
 *     event-kind, event-title, event-account, event-time, event-enrichment, event-breakdown-unavailable
 *   tab-slack, tab-email, tab-webhook, tab-teams, tab-dlq, tab-digest; panel-<same names>
 *   slack-filter, slack-message (data-ts, data-channel, data-thread-ts on replies), slack-thread,
 *     slack-header, slack-section, slack-field, slack-context, slack-divider, slack-image,
 *     slack-file, slack-attachment (data-color), slack-text (a message with no blocks)
 *   email-row (data-email-id), email-subject, email-to, email-frame, email-text, email-toggle
 *   webhook-row, webhook-signature (data-verified), webhook-status, webhook-json
 *   teams-card (data-status, data-kind), teams-title, teams-text, teams-fact, teams-action
 *   dlq-table, dlq-row (data-channel, data-message-id), redrive-button, redrive-all-<channel>
 *   digest-row, digest-chart
 *   toast
 */

// ---- Slack mrkdwn → HTML (pure; exported for tests) ----

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SLACK_ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** Escapes text for HTML content and quoted attributes. */
export const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/** Slack escapes only these three; they are decoded once, then everything is escaped for HTML. */
const decodeSlack = (text) => text.replace(/&(?:amp|lt|gt);/g, (e) => SLACK_ENTITIES[e]);

/** The URL when it is http(s), else null: a `javascript:` or `data:` link never becomes an href. */
export function httpUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Private-use characters mark converted pieces while the rest is formatted; input loses any. */
const HOLD_OPEN = '\uE000';
const HOLD_CLOSE = '\uE001';

/**
 * Converts Slack mrkdwn (already escaped by Slack's rules: &amp; &lt; &gt;) to HTML. The text is
 * decoded and HTML-escaped before any tag is added, and a `<…>` that is not one of Slack's control
 * sequences is shown as the text it is.
 * @example mrkdwnToHtml('*Budget* &lt;web&gt; <https://aws.amazon.com|console>')
 */
export function mrkdwnToHtml(text) {
  const source = String(text ?? '').replace(/[\uE000\uE001]/g, '');
  const parts = source.split('```');
  // An odd number of fences leaves the last one unclosed: it is text, not the start of a block.
  if (parts.length % 2 === 0) parts.splice(-2, 2, `${parts.at(-2)}\`\`\`${parts.at(-1)}`);
  return parts
    .map((part, i) =>
      i % 2 === 1
        ? `<pre class="mrkdwn-pre">${escapeHtml(decodeSlack(part.replace(/^\n/, '')))}</pre>`
        : inlineMrkdwn(part),
    )
    .join('');
}

function inlineMrkdwn(text) {
  const held = [];
  const hold = (html) => `${HOLD_OPEN}${held.push(html) - 1}${HOLD_CLOSE}`;
  let s = text.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escapeHtml(decodeSlack(code))}</code>`));
  // Control sequences are found before decoding, so `&lt;b&gt;` can never become one.
  s = s.replace(/<([^<>\n]*)>/g, (_, inner) => hold(controlSequence(inner)));
  s = escapeHtml(decodeSlack(s));
  s = s.replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1<strong>$2</strong>');
  s = s.replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])/g, '$1<em>$2</em>');
  s = s.replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])/g, '$1<del>$2</del>');
  s = s.replace(/\n/g, '<br>');
  return s.replace(/\uE000(\d+)\uE001/g, (_, i) => held[Number(i)]);
}

/** One `<…>` sequence: a link, a mention, a broadcast, a date; anything else stays text. */
function controlSequence(inner) {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? null : decodeSlack(inner.slice(bar + 1));
  const chip = (cls, shown) => `<span class="mention ${cls}">${escapeHtml(shown)}</span>`;
  if (/^!(here|channel|everyone)$/.test(target)) return chip('mention-broadcast', `@${target.slice(1)}`);
  if (/^!subteam\^[A-Z0-9]+$/.test(target)) return chip('mention-user', label ?? `@${target.slice(9)}`);
  if (target.startsWith('!date^'))
    return `<span class="slack-date">${escapeHtml(label ?? target.split('^')[1] ?? '')}</span>`;
  if (/^@[UWB][A-Z0-9]+$/.test(target)) return chip('mention-user', `@${(label ?? target.slice(1)).replace(/^@/, '')}`);
  if (/^#C[A-Z0-9]+$/.test(target)) return chip('mention-channel', `#${(label ?? target.slice(1)).replace(/^#/, '')}`);
  const href = httpUrl(decodeSlack(target));
  if (href)
    return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(label ?? decodeSlack(target))}</a>`;
  return escapeHtml(`<${decodeSlack(inner)}>`);
}

// ---- Trusted Types: the only two ways HTML reaches the parser ----

const trusted = globalThis.trustedTypes;
const mrkdwnPolicy = trusted
  ? trusted.createPolicy('mrkdwn', { createHTML: mrkdwnToHtml })
  : { createHTML: mrkdwnToHtml };
/** Only for a sandbox="" iframe's srcdoc; `cid:` images point at the files the server serves. */
const emailPolicy = (() => {
  const createHTML = (html, images) => {
    let out = String(html);
    for (const { cid, url } of images ?? []) {
      const path = localPath(url);
      if (path && cid) out = out.split(`cid:${cid}`).join(escapeHtml(new URL(path, globalThis.location?.href).href));
    }
    return out;
  };
  return trusted ? trusted.createPolicy('email-srcdoc', { createHTML }) : { createHTML };
})();

/** A same-origin path (`/files/F1`), or null: images and files never load from elsewhere. */
function localPath(url) {
  return typeof url === 'string' && /^\/(?!\/)[^\s\\]*$/.test(url) ? url : null;
}

// ---- Formatting ----

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const FULL_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const MONTH = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' });

function when(iso, format = DATE_TIME) {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? String(iso ?? '') : `${format.format(ms)} UTC`;
}

function money(amount, currency = 'USD', digits = 2) {
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      maximumFractionDigits: digits,
      minimumFractionDigits: digits,
    }).format(amount);
  } catch {
    return `${Number(amount).toFixed(digits)} ${currency}`;
  }
}
const moneyOf = (m) => (m ? money(m.amount, m.currency) : '–');

/** Cost Explorer's service names are long; the short names people say, with the full one on hover. */
const SHORT_SERVICES = {
  'Amazon Elastic Compute Cloud - Compute': 'EC2',
  'EC2 - Other': 'EC2 other',
  'Amazon Relational Database Service': 'RDS',
  'Amazon Simple Storage Service': 'S3',
  'Amazon CloudWatch': 'CloudWatch',
  'AWS Lambda': 'Lambda',
  'Amazon DynamoDB': 'DynamoDB',
  'Amazon Virtual Private Cloud': 'VPC',
  'Elastic Load Balancing': 'ELB',
};

// ---- DOM helpers: text only, never HTML ----

/** Creates an element; string children become text nodes, `testid` sets data-testid. */
function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'testid') el.dataset.testid = value;
    else if (key === 'data') Object.assign(el.dataset, value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(
    ...children
      .flat(Infinity)
      .filter((c) => c !== null && c !== undefined && c !== false)
      .map((c) => (c instanceof Node ? c : String(c))),
  );
  return el;
}

/** A mrkdwn text object as Slack shows it; plain_text is decoded and shown as text. */
function slackText(textObject, tag = 'div', props = {}) {
  const el = h(tag, { ...props, class: `${props.class ?? ''} mrkdwn`.trim() });
  if (!textObject) return el;
  if (typeof textObject === 'string' || textObject.type === 'mrkdwn') {
    el.innerHTML = mrkdwnPolicy.createHTML(typeof textObject === 'string' ? textObject : textObject.text);
  } else {
    el.textContent = decodeSlack(String(textObject.text ?? ''));
  }
  return el;
}

/**
 * Keeps a list's elements in step with `items` by key: unchanged items keep their element (an
 * email's iframe does not reload, a half-clicked button stays put), changed ones are rebuilt.
 */
/** Empties a synced list, showing `placeholder` instead. */
function clearList(list, placeholder) {
  list.__items = null;
  list.replaceChildren(placeholder);
}

function syncList(container, items, keyOf, build) {
  const previous = container.__items ?? new Map();
  const next = new Map();
  const elements = items.map((item) => {
    const key = keyOf(item);
    const signature = JSON.stringify(item);
    const kept = previous.get(key);
    const entry = kept && kept.signature === signature ? kept : { signature, el: build(item) };
    next.set(key, entry);
    return entry.el;
  });
  container.__items = next;
  // Moving a node reloads an iframe, so only what is new or out of place is (re)inserted.
  const wanted = new Set(elements);
  for (const child of [...container.children]) if (!wanted.has(child)) child.remove();
  for (const [i, el] of elements.entries()) {
    if (container.children[i] !== el) container.insertBefore(el, container.children[i] ?? null);
  }
}

// ---- State ----

const LIST_LIMIT = 300;
let state = emptyState();

function emptyState() {
  return {
    clock: { now: '', speed: 1, running: false },
    events: [],
    slack: [],
    emails: [],
    webhooks: [],
    teams: [],
    dlq: [],
    digests: [],
    deliveries: { slack: 0, email: 0, webhook: 0, teams: 0 },
    spend: { days: [], daily: [], cumulative: [], budgets: [], forecast: null },
  };
}

const webhookKey = (w) => `${w.receivedAt}|${w.webhookId ?? ''}|${w.status}`;
const teamsKey = (t) => `${t.receivedAt}|${t.workflow}|${t.eventIds.join(',')}|${t.status}`;
/** Append-type updates are upserts: the stream may repeat what the snapshot already held. */
const UPSERTS = {
  event: ['events', (e) => e.event.id],
  slack: ['slack', (m) => `${m.channelName}|${m.ts}`],
  email: ['emails', (e) => e.id],
  webhook: ['webhooks', webhookKey],
  teams: ['teams', teamsKey],
  digest: ['digests', (d) => `${d.channel}|${d.receiver}|${d.periodKey}`],
};
const REPLACES = { dlq: 'dlq', deliveries: 'deliveries', spend: 'spend', clock: 'clock' };
const RENDERERS = {
  events: () => renderEvents(),
  slack: () => renderSlack(),
  emails: () => renderEmails(),
  webhooks: () => renderWebhooks(),
  teams: () => renderTeams(),
  digests: () => renderDigests(),
  dlq: () => renderDlq(),
  deliveries: () => renderCounts(),
  spend: () => renderChart(),
  clock: () => renderClock(),
};

function apply(type, data) {
  if (UPSERTS[type]) {
    const [field, keyOf] = UPSERTS[type];
    const key = keyOf(data);
    const list = state[field].filter((item) => keyOf(item) !== key);
    state[field] = [...list, data];
    RENDERERS[field]();
  } else if (REPLACES[type]) {
    state[REPLACES[type]] = data;
    RENDERERS[REPLACES[type]]();
  }
  renderTabBadges();
}

function replaceState(next) {
  state = { ...emptyState(), ...next };
  for (const render of Object.values(RENDERERS)) render();
  renderTabBadges();
}

// ---- Header ----

function renderClock() {
  const { now, speed, running } = state.clock;
  byTestId('clock').textContent = now ? when(now, FULL_DATE) : '–';
  byTestId('clock-speed').textContent = running ? `×${speed}` : 'paused';
  byTestId('clock-speed').classList.toggle('paused', !running);
}

function renderCounts() {
  for (const channel of ['slack', 'email', 'webhook', 'teams'])
    byTestId(`delivery-count-${channel}`).textContent = String(state.deliveries?.[channel] ?? 0);
}

function setConnection(status) {
  const el = byTestId('connection');
  el.dataset.state = status;
  el.textContent = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…' }[status];
}

// ---- Spend chart (inline SVG) ----

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs ?? {}))
    if (value !== null && value !== undefined) el.setAttribute(key, String(value));
  el.append(...children);
  return el;
}

/** A round axis maximum and step: 1, 2 or 5 times a power of ten. */
function niceScale(max, ticks = 4) {
  const raw = Math.max(max, 1) / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((m) => m >= raw);
  return { max: step * Math.ceil(max / step || 1), step };
}

function renderChart() {
  const { days, daily, cumulative, budgets, forecast } = state.spend;
  const chart = document.getElementById('chart');
  const last = cumulative.at(-1) ?? 0;
  const stats = byTestId('spend-stats');
  stats.replaceChildren(
    stat('Month to date', money(last), 'spend-mtd'),
    forecast !== null && forecast !== undefined ? stat('Forecast, month end', money(forecast), 'spend-forecast') : null,
    ...budgets.map((b) =>
      stat(
        `Budget ${b.name}`,
        `${Math.round((last / b.limit) * 100)}% of ${money(b.limit, 'USD', 0)}`,
        null,
        last > b.limit ? 'over' : forecast > b.limit ? 'warn' : '',
      ),
    ),
  );
  if (!days.length)
    return chart.replaceChildren(h('p', { class: 'empty' }, 'No spend yet: the simulated month has not started.'));

  const [year, month] = days[0].split('-').map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const W = 760,
    H = 320,
    L = 56,
    R = 16,
    T = 20,
    B = 30;
  const plotW = W - L - R,
    plotH = H - T - B;
  const { max, step } = niceScale(Math.max(last, forecast ?? 0, ...budgets.map((b) => b.limit)) * 1.04);
  const slot = plotW / daysInMonth;
  const x = (i) => L + (i + 0.5) * slot;
  const y = (v) => T + plotH - (v / max) * plotH;
  const dailyMax = Math.max(...daily, 1);
  const barH = (v) => (v / dailyMax) * plotH * 0.32;

  const grid = [];
  for (let v = 0; v <= max + 1e-9; v += step) {
    grid.push(
      s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }),
      s('text', { x: L - 8, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, money(v, 'USD', 0)),
    );
  }
  const labelEvery = daysInMonth > 20 ? 5 : 2;
  const xLabels = Array.from({ length: daysInMonth }, (_, i) => i)
    .filter((i) => i === 0 || (i + 1) % labelEvery === 0)
    .map((i) => s('text', { x: x(i), y: H - 10, class: 'axis', 'text-anchor': 'middle' }, String(i + 1)));
  const bars = daily.map((v, i) =>
    s(
      'rect',
      { x: x(i) - slot * 0.32, y: T + plotH - barH(v), width: slot * 0.64, height: barH(v), rx: 2, class: 'bar' },
      s('title', {}, `${days[i]}: ${money(v)}`),
    ),
  );
  const points = cumulative.map((v, i) => `${x(i)},${y(v)}`);
  const area = s('path', {
    d: `M${x(0)},${y(0)} L${points.join(' L')} L${x(cumulative.length - 1)},${y(0)} Z`,
    class: 'area',
  });
  const line = s('polyline', { points: points.join(' '), class: 'line' });
  const dots = cumulative.map((v, i) =>
    s('circle', { cx: x(i), cy: y(v), r: 2.5, class: 'dot' }, s('title', {}, `${days[i]}: ${money(v)} month to date`)),
  );
  const budgetLines = budgets.map((b) => {
    const tone = last > b.limit ? 'over' : forecast > b.limit ? 'warn' : 'ok';
    return s(
      'g',
      { class: `budget ${tone}`, 'data-testid': 'chart-budget', 'data-budget': b.name },
      s('line', { x1: L, x2: W - R, y1: y(b.limit), y2: y(b.limit) }),
      s('text', { x: W - R - 4, y: y(b.limit) - 6, 'text-anchor': 'end' }, `${b.name} ${money(b.limit, 'USD', 0)}`),
    );
  });
  const forecastMark =
    forecast !== null && forecast !== undefined && cumulative.length
      ? s(
          'g',
          { class: 'forecast', 'data-testid': 'chart-forecast' },
          s('line', { x1: x(cumulative.length - 1), y1: y(last), x2: x(daysInMonth - 1), y2: y(forecast) }),
          s('circle', { cx: x(daysInMonth - 1), cy: y(forecast), r: 3.5 }),
          s(
            'text',
            { x: x(daysInMonth - 1) - 6, y: y(forecast) + (y(forecast) < T + 14 ? 16 : -8), 'text-anchor': 'end' },
            `forecast ${money(forecast, 'USD', 0)}`,
          ),
        )
      : null;
  const title = `Spend in ${MONTH.format(Date.UTC(year, month - 1, 1))}: ${money(last)} month to date`;
  chart.replaceChildren(
    s(
      'svg',
      { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, class: 'chart' },
      s('title', {}, title),
      ...grid,
      ...bars,
      area,
      line,
      ...dots,
      ...budgetLines,
      forecastMark ?? '',
      ...xLabels,
    ),
    h(
      'div',
      { class: 'legend' },
      h('span', { class: 'key key-line' }, 'Month to date'),
      h('span', { class: 'key key-bar' }, `Daily (peak ${money(dailyMax, 'USD', 0)})`),
      forecastMark ? h('span', { class: 'key key-forecast' }, 'Forecast') : null,
      budgets.length ? h('span', { class: 'key key-budget' }, 'Budgets') : null,
    ),
  );
}

function stat(label, value, testid, tone = '') {
  return h(
    'div',
    { class: `stat ${tone}` },
    h('span', { class: 'stat-label' }, label),
    h('span', { class: 'stat-value', testid }, value),
  );
}

// ---- Events ----

function renderEvents() {
  const list = document.getElementById('events');
  const newest = state.events.slice(-LIST_LIMIT).reverse();
  byTestId('event-count').textContent = state.events.length ? `${state.events.length} received` : '';
  if (!newest.length) {
    clearList(list, h('li', { class: 'empty' }, 'No events yet. They appear here as the topic receives them.'));
    return;
  }
  syncList(list, newest, (e) => e.event.id, eventRow);
}

function eventRow({ event, enrichment, publishedAt }) {
  const tone = event.status === 'resolved' ? 'resolved' : event.severity;
  return h(
    'li',
    { class: 'event', testid: 'event-row', data: { eventId: event.id, kind: event.kind, severity: event.severity } },
    h(
      'div',
      { class: 'event-line' },
      h('span', { class: `sev sev-${tone}`, testid: 'event-severity' }, tone),
      h('span', { class: 'kind', testid: 'event-kind' }, event.kind),
      h(
        'time',
        { class: 'muted', testid: 'event-time', datetime: event.occurredAt, title: `published ${when(publishedAt)}` },
        when(event.occurredAt),
      ),
    ),
    h('div', { class: 'event-title', testid: 'event-title' }, event.title),
    event.accountId ? h('div', { class: 'muted small', testid: 'event-account' }, `account ${event.accountId}`) : null,
    enrichmentSummary(enrichment),
  );
}

function enrichmentSummary(enrichment) {
  if (!enrichment) return null;
  const { monthToDate, forecast, services, unavailable } = enrichment;
  const top = services.filter((sv) => sv.name !== 'Other').slice(0, 3);
  const facts = [
    monthToDate ? `month to date ${moneyOf(monthToDate)}` : null,
    forecast ? `forecast ${moneyOf(forecast.total)}` : null,
  ].filter(Boolean);
  return h(
    'div',
    { class: 'enrichment', testid: 'event-enrichment' },
    facts.length ? h('div', {}, facts.join(' · ')) : null,
    top.length
      ? h(
          'div',
          { class: 'services' },
          top.map((sv) =>
            h(
              'span',
              { class: 'service', title: sv.name },
              `${SHORT_SERVICES[sv.name] ?? sv.name} ${moneyOf(sv.cost)}`,
              change(sv.changePercent),
            ),
          ),
        )
      : null,
    unavailable
      ? h(
          'div',
          { class: 'unavailable', testid: 'event-breakdown-unavailable' },
          `breakdown unavailable: ${unavailable}`,
        )
      : null,
  );
}

function change(percent) {
  if (percent === null || percent === undefined) return null;
  const rounded = Math.round(percent);
  return h(
    'span',
    { class: rounded > 0 ? 'up' : rounded < 0 ? 'down' : 'flat' },
    ` ${rounded > 0 ? '▲' : rounded < 0 ? '▼' : '='}${Math.abs(rounded)}%`,
  );
}

// ---- Slack ----

let slackChannel = null;

function showSlackChannel(channel) {
  slackChannel = channel;
  renderSlack();
}

function renderSlack() {
  const channels = [...new Set(state.slack.map((m) => m.channelName))].sort();
  if (slackChannel && !channels.includes(slackChannel)) slackChannel = null;
  byTestId('slack-filter').replaceChildren(
    ...(channels.length > 1 ? [null, ...channels] : []).map((c) =>
      h(
        'button',
        { class: c === slackChannel ? 'chip active' : 'chip', onclick: () => showSlackChannel(c) },
        c ?? 'All channels',
      ),
    ),
  );
  const shown = state.slack.filter((m) => !slackChannel || m.channelName === slackChannel);
  const isReply = (m) => m.thread_ts && m.thread_ts !== m.ts;
  const parents = new Map(
    shown.filter((m) => !isReply(m)).map((m) => [`${m.channelName}|${m.ts}`, { message: m, replies: [] }]),
  );
  const orphans = [];
  for (const m of shown.filter(isReply)) (parents.get(`${m.channelName}|${m.thread_ts}`)?.replies ?? orphans).push(m);
  const threads = [...parents.values(), ...orphans.map((m) => ({ message: m, replies: [], orphan: true }))]
    .sort((a, b) => Number(b.message.ts) - Number(a.message.ts))
    .slice(0, LIST_LIMIT);
  const list = document.getElementById('slack-list');
  if (!threads.length) {
    clearList(list, h('p', { class: 'empty' }, 'No Slack messages yet.'));
    return;
  }
  syncList(list, threads, (t) => `${t.message.channelName}|${t.message.ts}`, slackThread);
}

function slackThread({ message, replies, orphan }) {
  const el = slackMessage(message, orphan ? 'reply to a thread not shown' : null);
  if (replies.length) {
    const sorted = [...replies].sort((a, b) => Number(a.ts) - Number(b.ts));
    el.append(
      h(
        'div',
        { class: 'thread', testid: 'slack-thread' },
        h('div', { class: 'thread-count' }, `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`),
        sorted.map((r) => slackMessage(r)),
      ),
    );
  }
  return el;
}

function slackMessage(m, note = null) {
  const at = Number(m.ts) * 1000;
  const files = new Map((m.files ?? []).map((f) => [fileId(f.url), f]));
  const body =
    Array.isArray(m.blocks) && m.blocks.length
      ? m.blocks.map((b) => slackBlock(b, files))
      : [slackText(m.text ?? '', 'div', { testid: 'slack-text', class: 'slack-section' })];
  return h(
    'article',
    {
      class: 'slack-message',
      testid: 'slack-message',
      data: {
        ts: m.ts,
        channel: m.channelName,
        ...(m.thread_ts && m.thread_ts !== m.ts ? { threadTs: m.thread_ts } : {}),
      },
    },
    h('div', { class: 'avatar', 'aria-hidden': 'true' }, '$'),
    h(
      'div',
      { class: 'slack-body' },
      h(
        'div',
        { class: 'slack-meta' },
        h('strong', {}, 'spend-alerts'),
        h('span', { class: 'app' }, 'APP'),
        h(
          'time',
          { class: 'muted', datetime: m.receivedAt },
          Number.isNaN(at) ? m.receivedAt : when(new Date(at).toISOString()),
        ),
        h('span', { class: 'channel' }, m.channelName),
        note ? h('span', { class: 'muted' }, note) : null,
      ),
      body,
      (m.attachments ?? []).map((a) => slackAttachment(a, files)),
      (m.files ?? []).filter((f) => !isShownAsBlock(m.blocks, f)).map(slackFile),
    ),
  );
}

const fileId = (url) =>
  String(url ?? '')
    .split('/')
    .filter(Boolean)
    .at(-1);
const isShownAsBlock = (blocks, file) =>
  (blocks ?? []).some((b) => b?.type === 'image' && b.slack_file?.id === fileId(file.url));

function slackFile(file) {
  const path = localPath(file.url);
  if (!path) return h('div', { class: 'slack-file', testid: 'slack-file' }, `📎 ${file.name}`);
  return /\.(png|jpe?g|gif|svg|webp)$/i.test(file.name)
    ? h(
        'figure',
        { class: 'slack-file', testid: 'slack-file' },
        h('img', { src: path, alt: file.name, loading: 'lazy' }),
        h('figcaption', { class: 'muted small' }, file.name),
      )
    : h('a', { class: 'slack-file', testid: 'slack-file', href: path, download: file.name }, `📎 ${file.name}`);
}

function slackBlock(block, files) {
  switch (block?.type) {
    case 'header':
      return h('div', { class: 'slack-header', testid: 'slack-header' }, decodeSlack(String(block.text?.text ?? '')));
    case 'section':
      return h(
        'div',
        { class: 'slack-section', testid: 'slack-section' },
        block.text ? slackText(block.text) : null,
        Array.isArray(block.fields)
          ? h(
              'div',
              { class: 'slack-fields' },
              block.fields.map((f) => slackText(f, 'div', { testid: 'slack-field', class: 'slack-field' })),
            )
          : null,
      );
    case 'context':
      return h(
        'div',
        { class: 'slack-context', testid: 'slack-context' },
        (block.elements ?? []).map((e) =>
          e?.type === 'image'
            ? slackImage(e.image_url, e.alt_text, files, e.slack_file, 'context-image')
            : slackText(e, 'span'),
        ),
      );
    case 'divider':
      return h('hr', { class: 'slack-divider', testid: 'slack-divider' });
    case 'image':
      return h(
        'figure',
        { class: 'slack-image', testid: 'slack-image' },
        block.title ? h('figcaption', {}, decodeSlack(String(block.title.text ?? ''))) : null,
        slackImage(block.image_url, block.alt_text, files, block.slack_file),
      );
    case 'actions':
      return h(
        'div',
        { class: 'slack-actions' },
        (block.elements ?? []).map((e) =>
          httpUrl(e?.url ?? '')
            ? h(
                'a',
                { class: 'slack-button', href: httpUrl(e.url), target: '_blank', rel: 'noopener noreferrer' },
                decodeSlack(String(e.text?.text ?? 'Open')),
              )
            : h('span', { class: 'slack-button' }, decodeSlack(String(e?.text?.text ?? ''))),
        ),
      );
    default:
      return h('div', { class: 'muted small' }, `[${String(block?.type ?? 'unknown')} block]`);
  }
}

/** Only images this server serves are loaded; an external image_url is named, not fetched. */
function slackImage(imageUrl, alt, files, slackFile, cls = '') {
  const file = slackFile?.id ? files.get(slackFile.id) : null;
  const path = localPath(file?.url ?? slackFile?.url ?? imageUrl);
  if (!path) return h('span', { class: 'muted small' }, `[image: ${alt ?? imageUrl ?? 'not available'}]`);
  return h('img', { src: path, alt: alt ?? '', class: cls, loading: 'lazy' });
}

/** Slack's named colours, and hex; anything else falls back to grey rather than into CSS. */
const ATTACHMENT_COLORS = { good: '#2EB67D', warning: '#ECB22E', danger: '#E01E5A' };
function attachmentColor(color) {
  if (typeof color !== 'string') return '#DDDDDD';
  if (ATTACHMENT_COLORS[color]) return ATTACHMENT_COLORS[color];
  const hex = color.startsWith('#') ? color : `#${color}`;
  return /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(hex) ? hex : '#DDDDDD';
}

function slackAttachment(a, files) {
  const color = attachmentColor(a?.color);
  const el = h(
    'div',
    { class: 'slack-attachment', testid: 'slack-attachment', data: { color } },
    h(
      'div',
      { class: 'attachment-body' },
      a?.pretext ? slackText(a.pretext) : null,
      a?.title
        ? h(
            'div',
            { class: 'attachment-title' },
            httpUrl(a.title_link ?? '')
              ? h(
                  'a',
                  { href: httpUrl(a.title_link), target: '_blank', rel: 'noopener noreferrer' },
                  decodeSlack(String(a.title)),
                )
              : decodeSlack(String(a.title)),
          )
        : null,
      a?.text ? slackText(a.text) : null,
      Array.isArray(a?.fields)
        ? h(
            'div',
            { class: 'slack-fields' },
            a.fields.map((f) =>
              h(
                'div',
                { class: f.short ? 'slack-field' : 'slack-field wide', testid: 'slack-field' },
                h('strong', {}, decodeSlack(String(f.title ?? ''))),
                slackText(String(f.value ?? '')),
              ),
            ),
          )
        : null,
      Array.isArray(a?.blocks) ? a.blocks.map((b) => slackBlock(b, files)) : null,
      a?.footer ? h('div', { class: 'slack-context' }, slackText(a.footer, 'span')) : null,
    ),
  );
  el.style.setProperty('--bar', color);
  return el;
}

// ---- Email ----

function renderEmails() {
  const list = document.getElementById('email-list');
  const newest = state.emails.slice(-LIST_LIMIT).reverse();
  if (!newest.length) return clearList(list, h('li', { class: 'empty' }, 'No emails in the outbox yet.'));
  syncList(list, newest, (e) => e.id, emailRow);
}

function emailRow(email) {
  const frame = email.html ? document.createElement('iframe') : null;
  if (frame) {
    // sandbox before srcdoc and before insertion: the document never exists unsandboxed.
    frame.setAttribute('sandbox', '');
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.title = `Email: ${email.subject}`;
    frame.dataset.testid = 'email-frame';
    frame.srcdoc = emailPolicy.createHTML(email.html, email.images);
  }
  const text = h(
    'pre',
    { class: 'email-text', testid: 'email-text', hidden: Boolean(frame) },
    email.text ?? '(no text part)',
  );
  const toggle = frame
    ? h(
        'button',
        {
          class: 'link-button',
          testid: 'email-toggle',
          onclick: () => {
            const showText = text.hidden;
            text.hidden = !showText;
            frame.hidden = showText;
            toggle.textContent = showText ? 'Show HTML' : 'Show text part';
          },
        },
        'Show text part',
      )
    : null;
  return h(
    'li',
    { class: 'email', testid: 'email-row', data: { emailId: email.id } },
    h(
      'div',
      { class: 'email-head' },
      h('div', { class: 'email-subject', testid: 'email-subject' }, email.subject),
      h('time', { class: 'muted small', datetime: email.at }, when(email.at)),
    ),
    h('div', { class: 'muted small', testid: 'email-to' }, `To: ${email.to.join(', ')}`, toggle ? ' · ' : '', toggle),
    frame ? h('div', { class: 'email-frame' }, frame) : null,
    text,
  );
}

// ---- Webhooks ----

function renderWebhooks() {
  const list = document.getElementById('webhook-list');
  const newest = state.webhooks.slice(-LIST_LIMIT).reverse();
  if (!newest.length) return clearList(list, h('li', { class: 'empty' }, 'No webhook requests received yet.'));
  syncList(list, newest, webhookKey, webhookRow);
}

function webhookRow(w) {
  const payload = w.json && typeof w.json === 'object' ? w.json : {};
  const ok = w.status >= 200 && w.status < 300;
  return h(
    'li',
    { class: 'webhook', testid: 'webhook-row' },
    h(
      'div',
      { class: 'webhook-head' },
      h(
        'span',
        {
          class: w.verified ? 'sig ok' : 'sig bad',
          testid: 'webhook-signature',
          data: { verified: String(w.verified) },
          title: w.verifyError ?? 'Standard Webhooks signature verified',
        },
        w.verified ? '✓ signature' : '✗ signature',
      ),
      h('span', { class: ok ? 'status ok' : 'status bad', testid: 'webhook-status' }, String(w.status)),
      h('span', { class: 'kind' }, String(payload.type ?? 'unknown')),
      h('span', { class: 'webhook-title' }, String(payload.data?.title ?? '')),
      h('time', { class: 'muted small', datetime: w.receivedAt }, when(w.receivedAt)),
    ),
    h(
      'div',
      { class: 'muted small mono' },
      `webhook-id ${w.webhookId ?? '(none)'}`,
      w.verifyError ? ` · ${w.verifyError}` : '',
    ),
    h(
      'details',
      {},
      h('summary', {}, 'Payload'),
      h('pre', { class: 'json', testid: 'webhook-json' }, JSON.stringify(w.json, null, 2)),
    ),
  );
}

// ---- Teams ----

function renderTeams() {
  const list = document.getElementById('teams-list');
  const newest = state.teams.slice(-LIST_LIMIT).reverse();
  if (!newest.length) return clearList(list, h('li', { class: 'empty' }, 'No Teams cards received yet.'));
  syncList(list, newest, teamsKey, teamsCard);
}

/** Teams' Markdown subset, shown as text: escapes undone, bold markers dropped. */
const teamsPlain = (text) =>
  String(text ?? '')
    .replace(/\*\*/g, '')
    .replace(/\\(.)/g, '$1');

/** An Adaptive Card as Teams lays it out: text blocks (the first as the title), fact sets, buttons. */
function teamsCard(t) {
  const ok = t.status >= 200 && t.status < 300;
  const blocks = Array.isArray(t.body) ? t.body : [];
  const actions = Array.isArray(t.actions) ? t.actions : [];
  return h(
    'li',
    { class: 'teams-card', testid: 'teams-card', data: { status: String(t.status), kind: t.kind ?? '' } },
    h(
      'div',
      { class: 'webhook-head' },
      h('span', { class: ok ? 'status ok' : 'status bad' }, String(t.status)),
      h('span', { class: 'kind' }, t.kind ?? 'unknown'),
      h('span', { class: 'mono small' }, t.workflow),
      h('time', { class: 'muted small', datetime: t.receivedAt }, when(t.receivedAt)),
    ),
    ...blocks.map((b, i) =>
      b?.type === 'FactSet'
        ? h(
            'dl',
            { class: 'teams-facts' },
            ...(Array.isArray(b.facts) ? b.facts : []).map((f) =>
              h('div', { testid: 'teams-fact' }, h('dt', {}, teamsPlain(f.title)), h('dd', {}, teamsPlain(f.value))),
            ),
          )
        : b?.type === 'TextBlock'
          ? h(
              i === 0 ? 'strong' : 'p',
              {
                class: `teams-text ${b.isSubtle ? 'muted small' : ''}`,
                testid: i === 0 ? 'teams-title' : 'teams-text',
              },
              teamsPlain(b.text),
            )
          : null,
    ),
    actions.length
      ? h(
          'div',
          { class: 'teams-actions' },
          ...actions
            .filter((a) => a?.type === 'Action.OpenUrl' && /^https:\/\//.test(String(a.url)))
            .map((a) =>
              h('a', { href: a.url, rel: 'noopener noreferrer', target: '_blank', testid: 'teams-action' }, a.title),
            ),
        )
      : null,
  );
}

// ---- Dead letters ----

function renderDlq() {
  const rows = document.getElementById('dlq-list');
  document.getElementById('dlq-empty').hidden = state.dlq.length > 0;
  byTestId('dlq-table').hidden = state.dlq.length === 0;
  syncList(rows, state.dlq, (d) => `${d.channel}|${d.messageId}`, dlqRow);
  const perChannel = Object.entries(groupBy(state.dlq, (d) => d.channel));
  document.getElementById('dlq-actions').replaceChildren(
    ...perChannel.map(([channel, entries]) =>
      h(
        'button',
        {
          class: 'button',
          testid: `redrive-all-${channel}`,
          onclick: (e) => redrive(channel, undefined, e.currentTarget),
        },
        `Redrive all ${CHANNEL_NAMES[channel] ?? channel} (${entries.length})`,
      ),
    ),
  );
}

const CHANNEL_NAMES = { slack: 'Slack', email: 'email', webhook: 'webhook', teams: 'Teams' };

function groupBy(items, keyOf) {
  const groups = {};
  for (const item of items) {
    const key = keyOf(item);
    groups[key] ??= [];
    groups[key].push(item);
  }
  return groups;
}

function dlqRow(d) {
  return h(
    'tr',
    { testid: 'dlq-row', data: { channel: d.channel, messageId: d.messageId } },
    h('td', {}, h('span', { class: 'kind' }, d.channel)),
    h('td', {}, d.receiver),
    h('td', {}, d.reason),
    h('td', { class: 'failure' }, d.failure),
    h('td', {}, h('code', { class: 'excerpt', title: d.messageId }, d.excerpt)),
    h(
      'td',
      {},
      h(
        'button',
        { class: 'button', testid: 'redrive-button', onclick: (e) => redrive(d.channel, d.messageId, e.currentTarget) },
        'Redrive',
      ),
    ),
  );
}

/** The row goes away when the source's `dlq` update arrives, not on the POST's answer. */
async function redrive(channel, messageId, button) {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = 'Redriving…';
  try {
    const response = await fetch('/api/dlq/redrive', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel, messageId }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
    toast(`Redrove ${body.redriven} ${body.redriven === 1 ? 'message' : 'messages'} to the ${channel} queue`);
    if (body.redriven === 0) throw new Error('nothing to redrive');
  } catch (error) {
    button.disabled = false;
    button.textContent = label;
    toast(`Redrive failed: ${error.message}`, true);
  }
}

let toastTimer;
function toast(message, isError = false) {
  const el = byTestId('toast');
  el.textContent = message;
  el.classList.toggle('error', isError);
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), 4000);
}

// ---- Digests ----

function renderDigests() {
  const list = document.getElementById('digest-list');
  const newest = state.digests.slice(-LIST_LIMIT).reverse();
  if (!newest.length) return clearList(list, h('li', { class: 'empty' }, 'No digests sent yet.'));
  syncList(
    list,
    newest,
    (d) => `${d.channel}|${d.receiver}|${d.periodKey}`,
    (d) =>
      h(
        'li',
        { class: 'digest', testid: 'digest-row' },
        h(
          'div',
          {},
          h('strong', {}, d.receiver),
          ' ',
          h('span', { class: 'kind' }, d.channel),
          ' ',
          h('span', { class: 'mono' }, d.periodKey),
          h('div', { class: 'muted small' }, `sent ${when(d.at)}`),
        ),
        localPath(d.chartUrl)
          ? h('img', {
              src: localPath(d.chartUrl),
              alt: `Spend chart for ${d.periodKey}`,
              testid: 'digest-chart',
              loading: 'lazy',
            })
          : null,
      ),
  );
}

// ---- Tabs ----

function selectTab(name) {
  for (const tab of document.querySelectorAll('[role=tab]'))
    tab.setAttribute('aria-selected', String(tab.dataset.tab === name));
  for (const panel of document.querySelectorAll('[role=tabpanel]')) panel.hidden = panel.dataset.panel !== name;
}

function renderTabBadges() {
  const counts = {
    slack: state.slack.length,
    email: state.emails.length,
    webhook: state.webhooks.length,
    teams: state.teams.length,
    dlq: state.dlq.length,
    digest: state.digests.length,
  };
  for (const [tab, count] of Object.entries(counts)) {
    const button = document.querySelector(`[data-tab="${tab}"]`);
    button.querySelector('.badge').textContent = String(count);
    if (tab === 'dlq') button.classList.toggle('alert', count > 0);
  }
}

// ---- Live connection ----

const UPDATE_TYPES = ['event', 'slack', 'email', 'webhook', 'teams', 'dlq', 'digest', 'deliveries', 'spend', 'clock'];

/**
 * EventSource retries by itself after a dropped connection; when it gives up (the server answered
 * with an error, or was down), a new one is opened with backoff. Every connection starts with a
 * `state` frame, so nothing missed while disconnected stays missing.
 */
function connect(attempt = 0) {
  const stream = new EventSource('/api/stream');
  stream.addEventListener('open', () => setConnection('live'));
  stream.addEventListener('state', (e) => {
    attempt = 0;
    replaceState(JSON.parse(e.data));
  });
  for (const type of UPDATE_TYPES) stream.addEventListener(type, (e) => apply(type, JSON.parse(e.data)));
  stream.addEventListener('error', () => {
    setConnection('reconnecting');
    if (stream.readyState !== EventSource.CLOSED) return;
    stream.close();
    setTimeout(() => connect(attempt + 1), Math.min(1000 * 2 ** attempt, 15_000));
  });
}

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

async function start() {
  for (const tab of document.querySelectorAll('[role=tab]'))
    tab.addEventListener('click', () => selectTab(tab.dataset.tab));
  selectTab('slack');
  replaceState(emptyState());
  try {
    const response = await fetch('/api/state');
    if (response.ok) replaceState(await response.json());
  } catch {
    // The stream's first frame carries the state too.
  }
  connect();
}

if (typeof document !== 'undefined') start();
