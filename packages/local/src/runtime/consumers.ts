import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Channel } from '@spend-alerts/stacks/spec';
import { gbSeconds, readReport } from '../meter/lambda-report.ts';
import { meteredCredentials } from '../meter/proxy.ts';
import { type CostMeter, consumerSource } from '../meter/usage.ts';

const ENTRY = fileURLToPath(new URL('./consumer-main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface ConsumerProcess {
  channel: Channel;
  readonly pid: number | undefined;
  /** Ends it at once, mid-batch if need be, as a crash would. */
  kill(signal?: NodeJS.Signals): void;
  /** Starts it again after a kill. */
  restart(): void;
  stop(): Promise<void>;
}

/**
 * Runs a channel consumer in its own Node process with the given environment (SST links, endpoints,
 * the simulated clock), passing each JSON log line it prints to `onLine`. A consumer that dies
 * unexpectedly is restarted, as Lambda would invoke a fresh one. With a `meter`, its invocations
 * (the report line it writes after each, as Lambda's own) and the bytes it logs are metered, and
 * its requests through a metered environment are counted as this channel's consumer's.
 */
export function startConsumer(
  channel: Channel,
  env: NodeJS.ProcessEnv,
  onLine: (line: string, channel: Channel) => void,
  options: { meter?: CostMeter } = {},
): ConsumerProcess {
  let child: ChildProcess;
  let stopping = false;
  const source = consumerSource(channel);
  const credentials = env.AWS_ACCESS_KEY_ID?.startsWith('meter:') ? meteredCredentials(source) : null;
  const read = (line: string) => {
    const report = line.startsWith('{"time"') ? readReport(safeParse(line)) : null;
    if (report) {
      options.meter?.add('lambda.requests', source, 'invocation');
      options.meter?.add('lambda.gbSeconds', source, 'invocation', gbSeconds(report));
      return;
    }
    options.meter?.add('logs.ingestedBytes', source, 'handler output', Buffer.byteLength(line) + 1);
    onLine(line, channel);
  };
  const launch = () => {
    child = spawn(process.execPath, ['--import', TSX, ENTRY, channel], {
      env: {
        ...process.env,
        ...env,
        ...(credentials ? { AWS_ACCESS_KEY_ID: credentials.accessKeyId } : {}),
        SPEND_ALERTS_PARENT_PID: String(process.pid),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: child.stdout! }).on('line', read);
    createInterface({ input: child.stderr! }).on('line', (line) =>
      onLine(JSON.stringify({ level: 'error', channel, msg: line }), channel),
    );
    child.on('exit', (code, signal) => {
      if (stopping || signal === 'SIGKILL') return; // a deliberate kill is restarted by its caller
      onLine(
        JSON.stringify({ level: 'warn', channel, msg: `consumer exited (${signal ?? code}); restarting` }),
        channel,
      );
      setTimeout(launch, 200);
    });
  };
  launch();
  return {
    channel,
    get pid() {
      return child.pid;
    },
    kill(signal = 'SIGKILL') {
      child.kill(signal);
    },
    restart() {
      if (child.exitCode !== null || child.signalCode !== null) launch();
    },
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function safeParse(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return {};
  }
}
