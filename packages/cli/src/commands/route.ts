import { eventLabels, directoryOf, isDigestReceiver, readInput, routeEvent } from '@spend-alerts/core';
import type { Command } from '../command.ts';
import { readConfig } from '../config.ts';
import { readInputFile } from '../io.ts';

const seconds = (ms: number) =>
  ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;

export const routeCommand: Command = {
  name: 'route',
  summary: 'Show which routes and receivers an alert reaches, and why.',
  usage: 'spend-alerts route FILE|- [--config FILE]',
  details: `Reads messages as 'normalize' does, routes each through the configured tree, and prints
every route visited with each condition met (✓) or not (✗), then the receivers reached.

options:
  --config FILE   the configuration (default: spend-alerts.config.yaml)`,
  options: { config: { type: 'string' } },
  async run({ values, positionals }, io) {
    const { config } = await readConfig(io, values.config);
    const text = await readInputFile(io, positionals[0] ?? '-');
    const { events } = readInput(text);
    for (const event of events) {
      const labels = eventLabels(event, directoryOf(config));
      io.stdout(
        `${event.title}\n  ${event.kind}, ${event.severity}, ${event.id}\n  labels: ${Object.entries(labels)
          .filter(([, v]) => v !== '' && !(Array.isArray(v) && !v.length))
          .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`)
          .join(' ')}\n\n`,
      );
      const { matches, trace } = routeEvent(event, config);
      for (const step of trace) {
        io.stdout(
          `  ${'  '.repeat(step.depth)}${step.matched ? '✓' : '✗'} ${step.path}${step.name ? ` (${step.name})` : ''}\n`,
        );
        for (const reason of step.reasons) io.stdout(`  ${'  '.repeat(step.depth)}    ${reason}\n`);
      }
      io.stdout(matches.length ? '\n  receivers:\n' : '\n  no receiver\n');
      for (const m of matches) {
        const s = m.settings;
        const mode = isDigestReceiver(m.receiver) ? ', digest' : '';
        io.stdout(
          `    ${m.receiver.name} (${m.receiver.type}${mode}) via ${m.route}: groupBy [${s.groupBy.join(', ')}], wait ${seconds(s.groupWait)}, interval ${seconds(s.groupInterval)}, repeat ${seconds(s.repeatInterval)}${s.muteTimeWindows.length ? `, muted in ${s.muteTimeWindows.join(', ')}` : ''}\n`,
        );
      }
      io.stdout('\n');
    }
    return 0;
  },
};
