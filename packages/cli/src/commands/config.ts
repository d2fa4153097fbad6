import { ConfigError, loadConfig, type RouteConfig } from '@spend-alerts/core';
import type { Command } from '../command.ts';
import { configPath } from '../config.ts';
import { CliError, readInputFile } from '../io.ts';

const countRoutes = (r: RouteConfig): number => 1 + r.routes.reduce((n, c) => n + countRoutes(c), 0);

export const configCommand: Command = {
  name: 'config',
  summary: 'Check a configuration file: exit 0 when valid, 1 with every problem listed.',
  usage: 'spend-alerts config validate [FILE]',
  details: `FILE defaults to spend-alerts.config.yaml (or .yml, .json) in the current directory.
Each problem names where it is: route.routes[2].receiver: unknown receiver "ops".`,
  options: {},
  async run({ positionals }, io) {
    const [action, file] = positionals;
    if (action !== 'validate')
      throw new CliError(`unknown action ${action ? `"${action}"` : '(none)'}; usage: ${this.usage}`);
    const path = configPath(io, file);
    const text = await readInputFile(io, path);
    try {
      const config = loadConfig(text, path);
      io.stdout(
        `${path}: valid (${config.receivers.length} receivers, ${countRoutes(config.route)} routes, ${config.muteTimeWindows.length} mute time windows)\n`,
      );
      return 0;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.stderr(`${error.message}\n`);
      return 1;
    }
  },
};
