import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readInput, type SpendEvent } from '@spend-alerts/core';
import type { Command } from '../command.ts';

const SAMPLES = fileURLToPath(new URL('../../../../tests/fixtures/', import.meta.url));

export const startCommand: Command = {
  name: 'start',
  summary: 'Run spend-alerts locally: read the bundled sample AWS messages and print the alerts they become.',
  usage: 'spend-alerts start [--dir DIR]',
  details: `options:
  --dir DIR   read messages from DIR instead of the bundled samples (tests/fixtures)`,
  options: { dir: { type: 'string' } },
  async run({ values }, io) {
    const dir = typeof values.dir === 'string' ? join(io.cwd, values.dir) : SAMPLES;
    const files = (await listMessages(dir)).sort();
    const counts = new Map<string, number>();
    for (const file of files) {
      const { events, controls } = readInput(await readFile(file, 'utf8'));
      for (const event of events) {
        counts.set(event.kind, (counts.get(event.kind) ?? 0) + 1);
        io.stdout(`${line(event)}  ← ${relative(dir, file)}\n`);
      }
      for (const c of controls) io.stdout(`[control ] SNS ${c.control} for ${c.topicArn}  ← ${relative(dir, file)}\n`);
    }
    const summary = Object.fromEntries([...counts].sort());
    io.stdout(`${JSON.stringify({ files: files.length, events: summary })}\n`);
    return 0;
  },
};

function line(event: SpendEvent): string {
  const sev = { info: 'info    ', warning: 'warning ', critical: 'critical' }[event.severity];
  return `[${sev}] ${event.kind.padEnd(17)} ${event.title}`;
}

async function listMessages(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(txt|json)$/.test(e.name) && !/\.expected\.json$|\.subject\.txt$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}
