/**
 * Many distinct alerts from a few real ones, for pricing a busy month: the n-th copy of a message
 * names another budget, alarm or anomaly (a suffix), so that each is its own event, its own repeat
 * key and its own thread, routed as the original is.
 */

/** A copy of an AWS message that is another notification of the same kind, for the same accounts. */
export function variantOf(message: string, n: number): string {
  const suffix = `-v${n}`;
  const json = tryJson(message);
  if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    if (typeof o.AlarmName === 'string') {
      return JSON.stringify({
        ...o,
        AlarmName: `${o.AlarmName}${suffix}`,
        ...(typeof o.AlarmArn === 'string' ? { AlarmArn: `${o.AlarmArn}${suffix}` } : {}),
      });
    }
    if (typeof o.anomalyId === 'string') return JSON.stringify({ ...o, anomalyId: `${o.anomalyId}${suffix}` });
    return message;
  }
  // Budgets text: the name appears in the prose and on its own line.
  const name = /^Budget Name: (.+)$/m.exec(message)?.[1]?.trim();
  if (!name) return message;
  return message.split(name).join(`${name}${suffix}`);
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
