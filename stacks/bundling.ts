/**
 * How SST's Node.js runtime bundles a function, as plain data: the bench (bench/bundles.ts) and the
 * bundling test (stacks/bundling.int.test.ts) build the handlers the way a deploy does. No SST imports.
 */

/**
 * What SST passes esbuild for an ESM function (sst/sst `pkg/runtime/node/build.go`): `module` before
 * `main`, so packages shipping both are bundled from their ES modules (tree-shaken); names kept;
 * ESNext; `require`, `__filename` and `__dirname` for bundled CommonJS.
 */
export const SST_ESBUILD: {
  platform: 'node';
  format: 'esm';
  target: string;
  mainFields: string[];
  keepNames: boolean;
  banner: { js: string };
} = {
  platform: 'node',
  format: 'esm',
  target: 'esnext',
  mainFields: ['module', 'main'],
  keepNames: true,
  banner: {
    js: [
      "import { createRequire as topLevelCreateRequire } from 'module';",
      'const require = topLevelCreateRequire(import.meta.url);',
      'import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"',
      'const __filename = topLevelFileUrlToPath(import.meta.url)',
      'const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))',
    ].join('\n'),
  },
};

/**
 * Packages a function installs beside its bundle instead of bundling them (`nodejs.install`), by
 * handler file: native modules esbuild has no loader for. A handler importing one that its function
 * does not install fails to deploy.
 */
export const HANDLER_INSTALLS: Readonly<Record<string, readonly string[]>> = {
  digest: ['@resvg/resvg-js'],
};
