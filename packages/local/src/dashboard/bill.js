// @ts-check
/**
 * The dashboard's Cost tab: what this run's AWS usage costs at list price, item by item (metered on
 * the stand-ins, or modelled where a local run cannot see), from /api/bill, refreshed while open.
 */

const REFRESH_MS = 5000;

/** Dollars as the CLI's bill prints them: cents, or four decimals below a cent. @param {number} usd */
function money(usd) {
  return usd >= 0.01 || usd === 0 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}

/** @param {number} n */
function quantity(n) {
  return n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : 0 });
}

/**
 * @param {string} tag
 * @param {string} text
 * @param {string} [className]
 */
function cell(tag, text, className) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

/**
 * @typedef {{ item: string, label: string, count: number, unit: string, usd: number, basis: string, note?: string }} Item
 * @typedef {{ pricesAsOf: string, region: string, items: Item[], usd: number, meteredUsd: number, modelledUsd: number, listedApart: Item[], listedApartUsd: number }} Bill
 * @param {Bill} bill
 */
function render(bill) {
  const body = /** @type {HTMLElement} */ (document.getElementById('bill-list'));
  const rows = bill.items.map((item) => {
    const tr = document.createElement('tr');
    tr.dataset.item = item.item;
    if (item.note) tr.title = item.note;
    tr.append(
      cell('td', item.label),
      cell('td', item.basis, `basis ${item.basis}`),
      cell('td', `${quantity(item.count)} ${item.unit}`, 'num'),
      cell('td', money(item.usd), 'num'),
    );
    return tr;
  });
  body.replaceChildren(...rows);
  /** @type {HTMLElement} */ (document.querySelector('[data-testid=bill-total]')).textContent =
    `${money(bill.usd)} a month (${money(bill.meteredUsd)} metered, ${money(bill.modelledUsd)} modelled)`;
  const apart = bill.listedApart.filter((i) => i.count > 0);
  /** @type {HTMLElement} */ (document.getElementById('bill-apart')).textContent = apart.length
    ? `Listed apart, your own resources: ${apart.map((i) => `${i.label} × ${i.count}: ${money(i.usd)}`).join('; ')}.`
    : '';
  /** @type {HTMLElement} */ (document.getElementById('bill-prices')).textContent =
    `Prices of ${bill.pricesAsOf}, ${bill.region}, list price, no free tier.`;
  const badge = document.querySelector('[data-tab="cost"] .badge');
  if (badge) badge.textContent = money(bill.usd);
}

async function refresh() {
  try {
    const response = await fetch('/api/bill');
    if (response.ok) render(await response.json());
  } catch {
    // The server is gone or restarting: the live connection says so; try again later.
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
