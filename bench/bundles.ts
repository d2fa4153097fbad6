/**
 * The handlers as deployed: each `packages/functions/src/handlers/*.ts` bundled by esbuild with the
 * options SST's Node.js runtime uses for an ESM function (`SST_BUILD` below), minified, once with
 * `@aws-sdk/*` and `@smithy/*` left external (the size the issue's target counts) and once with
 * them bundled. Cold import: a fresh `node` process imports the bundle and exits; the wall time
 * from spawn to exit (median of several runs, interleaved with an empty handler's bundle built the
 * same way).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { HANDLER_INSTALLS, SST_ESBUILD } from '@spend-alerts/stacks/bundling';
import { median, progress } from './lib/stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HANDLERS = join(ROOT, 'packages/functions/src/handlers');
// Inside the repository's node_modules, so that a bundle with the SDK left external resolves it
// from there, as a function whose runtime provides the SDK would.
const OUT = join(ROOT, 'node_modules/.cache/spend-alerts-bench');
/** Installed beside the bundle by the functions that need them (stacks/bundling.ts); their bytes are not counted. */
const INSTALLED = [...new Set(Object.values(HANDLER_INSTALLS).flat())];
const SST_BUILD: BuildOptions = SST_ESBUILD;

export interface BundleFigure {
  handler: string;
  bytes: number;
  bytesWithSdk: number;
  /** Spawn-to-exit ms of a fresh process importing the bundle with the SDK inside (median). */
  coldMs: number;
  /** The same with the SDK external, resolved from node_modules (median). */
  coldMsSdkExternal: number;
  /** Time of the `import()` alone, inside the process (median), SDK bundled. */
  importOnlyMs: number;
  /** The largest contributors to the bundle without the SDK, by package. */
  topPackages: Array<{ name: string; bytes: number }>;
}

export interface BundleResult {
  handlers: BundleFigure[];
  emptyColdMs: number;
  emptyImportOnlyMs: number;
  runs: number;
}

export async function runBundles(options: { runs?: number } = {}): Promise<BundleResult> {
  const runs = options.runs ?? 7;
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const emptySource = join(OUT, 'empty-handler.ts');
  writeFileSync(emptySource, 'export const handler = async (_event?: unknown) => ({ batchItemFailures: [] });\n');

  const entries = readdirSync(HANDLERS)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort()
    .map((f) => join(HANDLERS, f));
  const built: Array<{
    handler: string;
    lean: string;
    full: string;
    bytes: number;
    bytesWithSdk: number;
    topPackages: BundleFigure['topPackages'];
  }> = [];
  for (const entry of entries) {
    const handler = basename(entry, '.ts');
    const lean = await bundle(entry, join(OUT, `${handler}.lean.mjs`), true);
    const full = await bundle(entry, join(OUT, `${handler}.full.mjs`), false);
    built.push({
      handler,
      lean: lean.file,
      full: full.file,
      bytes: lean.bytes,
      bytesWithSdk: full.bytes,
      topPackages: byPackage(lean.metafile).slice(0, 6),
    });
    progress(`bundle ${handler}: ${lean.bytes} bytes without the SDK, ${full.bytes} with it`);
    const uninstalled = externalImports(full.metafile).filter(
      (p) => INSTALLED.includes(p) && !HANDLER_INSTALLS[handler]?.includes(p),
    );
    if (uninstalled.length)
      progress(
        `WARNING: ${handler} imports ${uninstalled.join(', ')}, which its function does not install: SST's bundling of it fails on the native binding (esbuild has no loader for .node)`,
      );
  }
  const empty = await bundle(emptySource, join(OUT, 'empty.mjs'), false);

  const cold = new Map<string, number[]>();
  const importOnly = new Map<string, number[]>();
  const files = [empty.file, ...built.flatMap((b) => [b.full, b.lean])];
  for (let run = 0; run < runs; run++) {
    for (const file of files) {
      const { wallMs, importMs } = await coldImport(file);
      (cold.get(file) ?? cold.set(file, []).get(file)!).push(wallMs);
      (importOnly.get(file) ?? importOnly.set(file, []).get(file)!).push(importMs);
    }
    progress(`cold imports: round ${run + 1}/${runs}`);
  }
  return {
    runs,
    emptyColdMs: median(cold.get(empty.file)!),
    emptyImportOnlyMs: median(importOnly.get(empty.file)!),
    handlers: built.map((b) => ({
      handler: b.handler,
      bytes: b.bytes,
      bytesWithSdk: b.bytesWithSdk,
      coldMs: median(cold.get(b.full)!),
      coldMsSdkExternal: median(cold.get(b.lean)!),
      importOnlyMs: median(importOnly.get(b.full)!),
      topPackages: b.topPackages,
    })),
  };
}

async function bundle(
  entry: string,
  outfile: string,
  sdkExternal: boolean,
): Promise<{ file: string; bytes: number; metafile: Metafile }> {
  const result = await build({
    ...SST_BUILD,
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    external: [...INSTALLED, ...(sdkExternal ? ['@aws-sdk/*', '@smithy/*'] : [])],
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  return { file: outfile, bytes: output.bytes, metafile: result.metafile };
}

/** The packages the bundle imports at run time instead of containing them. */
function externalImports(metafile: Metafile): string[] {
  return [
    ...new Set(Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path))),
  ];
}

/** Bytes in the output by package (`node_modules/<name>`), or `(project)` for the repository's own code. */
function byPackage(metafile: Metafile): Array<{ name: string; bytes: number }> {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const name = m ? m[1]! : '(project)';
      totals.set(name, (totals.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** A fresh `node` imports the file and exits; wall time from spawn to exit, and the import's own time. */
function coldImport(file: string): Promise<{ wallMs: number; importMs: number }> {
  const script = `const t=performance.now();const m=await import(${JSON.stringify(pathToFileURL(file).href)});if(typeof m.handler!=='function')process.exit(3);process.stdout.write(String(performance.now()-t));`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`importing ${basename(file)} failed (${code}): ${err.slice(0, 500)}`));
      resolve({ wallMs, importMs: Number(out) });
    });
  });
}
