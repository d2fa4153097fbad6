import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { publishedSchemas } from '@spend-alerts/core';
import type { Command } from '../command.ts';

/** Where the generated JSON Schemas are committed, beside the core package. */
export const SCHEMA_DIR = fileURLToPath(new URL('../../../core/schema/', import.meta.url));

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'Print, write or check the published JSON Schemas (the spend event, the webhook payload, the config).',
  usage: 'spend-alerts schema [--write | --check]',
  details: `options:
  --write   write every schema to packages/core/schema/
  --check   exit 1 when a committed schema differs from the code`,
  options: { write: { type: 'boolean' }, check: { type: 'boolean' } },
  async run({ values }, io) {
    const schemas = publishedSchemas();
    let stale = 0;
    for (const [file, schema] of Object.entries(schemas)) {
      const text = `${JSON.stringify(schema, null, 2)}\n`;
      const path = `${SCHEMA_DIR}${file}`;
      if (values.write) {
        await writeFile(path, text);
        io.stderr(`wrote ${path}\n`);
      } else if (values.check) {
        const current = await readFile(path, 'utf8').catch(() => '');
        if (current !== text) {
          stale++;
          io.stderr(`${path} is out of date: run npm run schema\n`);
        }
      } else {
        io.stdout(`// ${file}\n${text}`);
      }
    }
    return stale ? 1 : 0;
  },
};
