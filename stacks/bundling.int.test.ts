import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { HANDLER_INSTALLS, SST_ESBUILD } from './bundling.ts';

/**
 * Every handler bundles the way `sst deploy` bundles it, with only what its function installs left
 * out. `stacks/deploy.int.test.ts` runs the stacks under mocks and does not bundle; this is the check that
 * a handler importing a native module (resvg, through the adapters' index) would fail to deploy.
 */
const HANDLERS = fileURLToPath(new URL('../packages/functions/src/handlers/', import.meta.url));
const handlers = readdirSync(HANDLERS).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('handlers bundle as SST bundles them', () => {
  it('finds the handlers', () => {
    expect(handlers.map((f) => basename(f, '.ts')).sort()).toEqual([
      'digest',
      'email',
      'slack',
      'teams',
      'watchdog',
      'webhook',
    ]);
  });

  it.each(handlers)(
    '%s',
    async (file) => {
      const handler = basename(file, '.ts');
      const installs = HANDLER_INSTALLS[handler] ?? [];
      const result = await build({
        ...SST_ESBUILD,
        entryPoints: [join(HANDLERS, file)],
        bundle: true,
        minify: true,
        write: false,
        outdir: '/tmp/spend-alerts-bundling',
        external: [...installs],
        metafile: true,
        logLevel: 'silent',
      });
      expect(result.errors).toEqual([]);
      const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint)!;
      expect(output.exports).toContain('handler');
      const external = output.imports
        .filter((i) => i.external && !i.path.startsWith('node:') && !builtinModules.includes(i.path))
        .map((i) => i.path);
      expect([...new Set(external)]).toEqual(installs.filter((p) => external.includes(p)));
    },
    60_000,
  );
});
