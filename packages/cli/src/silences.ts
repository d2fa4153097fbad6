import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SilenceSchema, type Silence } from '@spend-alerts/core';
import { CliError, type Io } from './io.ts';

/**
 * Silences kept in a JSON file, for the command line on one machine. Deployed, they live in the
 * pipeline's DynamoDB table.
 */
export class FileSilenceStore {
  constructor(readonly path: string) {}

  static at(io: Io, dir: unknown): FileSilenceStore {
    return new FileSilenceStore(resolve(io.cwd, typeof dir === 'string' ? dir : '.spend-alerts', 'silences.json'));
  }

  async listSilences(): Promise<Silence[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new CliError(`cannot read ${this.path}: ${(error as Error).message}`);
    }
    const parsed = SilenceSchema.array().safeParse(JSON.parse(text));
    if (!parsed.success) throw new CliError(`${this.path} is not a list of silences: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  async putSilence(silence: Silence): Promise<void> {
    const all = (await this.listSilences()).filter((s) => s.id !== silence.id);
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, `${JSON.stringify([...all, silence], null, 2)}\n`);
    await rename(tmp, this.path); // never leave a half-written file
  }
}
