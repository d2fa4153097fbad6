/**
 * Headless Chromium for the browser tests, from npm alone. `@sparticuz/chromium` ships a Chromium
 * binary, brotli-compressed, inside its package; it is unpacked once per package version into the
 * temporary directory and driven by playwright-core. `CHROMIUM_PATH` points at another binary instead.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type BrowserContext, type Page, chromium } from 'playwright-core';

const run = promisify(execFile);

/**
 * Flags for a machine whose only network is loopback, running as root. Chromium's background
 * services would otherwise try the internet at every start, and fail many connections at a time.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--no-zygote',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-domain-reliability',
  '--disable-sync',
  '--font-render-hinting=none',
];

const PACKAGE = '@sparticuz/chromium';

/** The unpacked binary: `CHROMIUM_PATH`, or the npm package's own, unpacked on first use. */
export async function chromiumExecutable(): Promise<string> {
  const override = process.env.CHROMIUM_PATH;
  if (override) {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH is ${override}, which does not exist`);
    return override;
  }
  const entry = import.meta.resolve(PACKAGE);
  const packageJson = join(fileURLToPath(entry), '..', '..', '..', 'package.json');
  if (!existsSync(packageJson)) throw new Error(`${PACKAGE} is not installed: run \`npm ci\``);
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const home = join(tmpdir(), `spend-alerts-chromium-${version}`);
  const binary = join(home, 'chromium');
  if (existsSync(join(home, 'READY'))) return binary;

  // Unpacked in a directory of its own, then renamed into place: test files start browsers in
  // parallel processes, and none may see a half-written binary.
  const staging = await mkdtemp(`${home}.staging-`);
  const script = `const { default: c } = await import(${JSON.stringify(entry)}); process.stdout.write(await c.executablePath());`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TMPDIR: staging },
  });
  if (stdout !== join(staging, 'chromium')) throw new Error(`${PACKAGE} unpacked to ${stdout}, not into ${staging}`);
  await writeFile(join(staging, 'READY'), `${version}\n`);
  try {
    await rename(staging, home);
  } catch (error) {
    if (!existsSync(join(home, 'READY'))) throw error;
    await rm(staging, { recursive: true, force: true }); // another process was first
  }
  return binary;
}

export interface OpenBrowser {
  page: Page;
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts headless Chromium with a fresh profile and one page. When it cannot start, the error says
 * why and what to do; a browser test fails then, it is never skipped.
 */
export async function openBrowser(viewport = { width: 1360, height: 900 }): Promise<OpenBrowser> {
  const executablePath = await chromiumExecutable();
  const profile = await mkdtemp(join(tmpdir(), 'sa-chromium-'));
  let context: BrowserContext;
  try {
    // A persistent context is how Playwright takes a fresh --user-data-dir of our own.
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(
      `Chromium did not start (${executablePath}): ${reason}. Reinstall it with \`npm ci\` (it comes from ${PACKAGE}), ` +
        'or set CHROMIUM_PATH to a Chromium binary.',
      { cause: error },
    );
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
