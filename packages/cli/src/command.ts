import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, type Io } from './io.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** One CLI command: its help text, its options, and what it does. Returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Lines of option help, shown by --help. */
  details?: string;
  options: Options;
  run(
    args: { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] },
    io: Io,
  ): Promise<number>;
}

/** Parses argv for a command, turning node's parse errors into usage errors. */
export function parseCommandArgs(command: Command, argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliError(`${command.name}: ${(error as Error).message}\nusage: ${command.usage}`);
  }
}

export function helpText(command: Command): string {
  return `${command.summary}\n\nusage: ${command.usage}\n${command.details ? `\n${command.details.trimEnd()}\n` : ''}`;
}
