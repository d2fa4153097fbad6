/**
 * The bad-input properties of tests/bad-input at bench scale: any input (arbitrary text and JSON,
 * mutated real messages, injection strings in any field, any envelope) read, routed and rendered
 * for Slack, email and webhooks, with the safety checks of render-check.ts on every output.
 * Run as its own process (`node --import tsx bench/bad-input.ts <cases>`), so that the bench can
 * let it work beside the fault runs, which are counted, not timed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { anyInput, assertSafe, injectedMessage, renderAll } from '../tests/bad-input/render-check.ts';

export interface BadInputResult {
  cases: number;
  failures: number;
  /** The first counterexample, shrunk, if any. */
  counterexample: string | null;
  seconds: number;
}

export function checkBadInput(cases: number, seed = 42): BadInputResult {
  const started = Date.now();
  let failures = 0;
  let counterexample: string | null = null;
  for (const [arbitrary, share] of [
    [anyInput, 0.5],
    [injectedMessage, 0.5],
  ] as const) {
    const details = fc.check(
      fc.property(arbitrary, (input) => assertSafe(renderAll(input))),
      { numRuns: Math.round(cases * share), seed },
    );
    if (details.failed) {
      failures++;
      counterexample ??= `${JSON.stringify(details.counterexample).slice(0, 500)}: ${String((details.errorInstance as Error | undefined)?.message ?? '').slice(0, 300)}`;
    }
  }
  return { cases, failures, counterexample, seconds: (Date.now() - started) / 1000 };
}

/** Starts the check in its own process; resolves with its result. */
export function checkBadInputInChild(cases: number): Promise<BadInputResult> {
  const tsx = import.meta.resolve('tsx');
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, self, String(cases)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)!) as BadInputResult);
      } catch {
        reject(new Error(`the bad-input check exited with ${code}`));
      }
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(checkBadInput(Number(process.argv[2] ?? 100_000)))}\n`);
}
