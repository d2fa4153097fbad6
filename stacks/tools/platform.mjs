// SST's platform (.sst/platform) offline: where things are, the environment `sst` needs without
// internet, and `sst install`. Shared by check-infra.mjs, the Pulumi-mock harness and its test.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PLATFORM = path.join(ROOT, '.sst', 'platform');

/** A root devDependency's folder (`sst` exports neither its package.json nor its bin). */
function packageDir(name) {
  const dir = path.join(ROOT, 'node_modules', name);
  if (!existsSync(path.join(dir, 'package.json'))) throw new Error(`${name} is not installed: run npm ci`);
  return dir;
}

/** The SST version in the lockfile; `sst install` writes the same into .sst/platform/version. */
export function sstVersion() {
  return JSON.parse(readFileSync(path.join(packageDir('sst'), 'package.json'), 'utf8')).version;
}

/**
 * The npm `bun` package's own binary. SST runs `bun install` to install the platform's packages; with
 * its dependency check skipped and no SST_BUN_PATH it runs ~/.config/sst/bin/bun, which it never
 * downloaded, and a missing or wrong path fails with only "Unexpected error occurred".
 */
export function bunBinary() {
  const pkgDir = packageDir('bun');
  const candidates = [path.join(pkgDir, 'bin', 'bun.exe')];
  // With install scripts disabled, bun's postinstall never moved the binary out of its platform package.
  const arch = process.arch === 'arm64' ? 'aarch64' : 'x64';
  try {
    candidates.push(path.join(packageDir(`@oven/bun-${process.platform}-${arch}`), 'bin', 'bun'));
  } catch {
    // not installed for this platform
  }
  for (const candidate of candidates) {
    // The package ships a small placeholder that its postinstall replaces with the real binary.
    if (existsSync(candidate) && statSync(candidate).size > 1_000_000) return candidate;
  }
  throw new Error(
    `No usable bun binary in the npm "bun" package (looked at ${candidates.join(', ')}). ` +
      "Run `npm ci` with install scripts enabled: bun's postinstall puts its binary in place.",
  );
}

/** The environment for `sst` with no internet: the settings DESIGN.md lists. */
export function offlineEnv(extra = {}) {
  return {
    ...process.env,
    SST_SKIP_DEPENDENCY_CHECK: '1',
    SST_TELEMETRY_DISABLED: '1',
    SST_BUN_PATH: bunBinary(),
    // `sst install` evaluates app({ stage }); any stage will do for installing.
    SST_STAGE: process.env.SST_STAGE ?? 'check',
    ...extra,
  };
}

/** Is .sst/platform installed for this SST version, with its Pulumi packages? */
export function platformReady() {
  const versionFile = path.join(PLATFORM, 'version');
  return (
    existsSync(versionFile) &&
    readFileSync(versionFile, 'utf8').trim() === sstVersion() &&
    existsSync(path.join(PLATFORM, 'node_modules', '@pulumi', 'pulumi', 'package.json')) &&
    existsSync(path.join(PLATFORM, 'node_modules', '@pulumi', 'aws', 'package.json')) &&
    existsSync(path.join(PLATFORM, 'config.d.ts')) &&
    existsSync(path.join(ROOT, '.sst', 'provider-lock.json'))
  );
}

/** Runs `sst install` offline: writes .sst/platform (SST's components, @pulumi/pulumi, @pulumi/aws, types). */
export function sstInstall({ quiet = false } = {}) {
  const result = spawnSync(process.execPath, [path.join(packageDir('sst'), 'bin', 'sst.mjs'), 'install'], {
    cwd: ROOT,
    env: offlineEnv(),
    encoding: 'utf8',
    stdio: quiet ? 'pipe' : 'inherit',
  });
  if (result.status !== 0 || !platformReady()) {
    const output = quiet ? `\n${result.stdout ?? ''}${result.stderr ?? ''}` : '';
    throw new Error(`sst install failed (exit ${result.status})${output}`);
  }
}

/** Installs the platform only when it is missing or from another SST version. */
export function ensurePlatform({ quiet = true } = {}) {
  if (!platformReady()) sstInstall({ quiet });
}

// `node stacks/tools/platform.mjs --ensure`: install the platform unless it is already there (for tests).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv.includes('--ensure')) {
  ensurePlatform({ quiet: false });
}
