import { helpText, parseCommandArgs, type Command } from './command.ts';
import { budgetsCommand } from './commands/budgets.ts';
import { configCommand } from './commands/config.ts';
import { costCommand } from './commands/cost.ts';
import { dlqCommand } from './commands/dlq.ts';
import { sendCommand } from './commands/send.ts';
import { digestCommand } from './commands/digest.ts';
import { normalizeCommand } from './commands/normalize.ts';
import { previewCommand } from './commands/preview.ts';
import { routeCommand } from './commands/route.ts';
import { silenceCommand } from './commands/silence.ts';
import { schemaCommand } from './commands/schema.ts';
import { startCommand } from './commands/start.ts';
import { CliError, processIo, type Io } from './io.ts';
import { terminalSafe } from '@spend-alerts/core';

const COMMANDS: readonly Command[] = [
  startCommand,
  normalizeCommand,
  previewCommand,
  routeCommand,
  configCommand,
  costCommand,
  silenceCommand,
  digestCommand,
  sendCommand,
  dlqCommand,
  budgetsCommand,
  schemaCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `spend-alerts: AWS spend signals in, alerts people act on out.

usage: spend-alerts <command> [options]

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run 'spend-alerts <command> --help' for a command's options.
`;
}

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: string[], rawIo: Io = processIo()): Promise<number> {
  // Everything printed may quote a message (alarm names, SNS fields, reasons): no control or bidi
  // character reaches the terminal as such.
  const io: Io = {
    ...rawIo,
    stdout: (text) => rawIo.stdout(terminalSafe(text)),
    stderr: (text) => rawIo.stderr(terminalSafe(text)),
  };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`spend-alerts: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      io.stdout(helpText(command));
      return 0;
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`spend-alerts ${command.name}: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
