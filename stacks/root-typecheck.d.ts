/**
 * SST's globals as the root typecheck (`tsconfig.json`, which includes `stacks/**`) sees them.
 *
 * SST declares `sst`, `aws` and the `$` helpers in `.sst/platform/config.d.ts`, which exists only after
 * `sst install`, and its platform is TypeScript source that compiles only under SST's own compiler
 * options. So the root program, which must pass on a fresh clone, sees them as `any`, and
 * `npm run check:infra` checks the same files against the real types (`stacks/tsconfig.json`, which
 * leaves this file out).
 */
// biome-ignore-all lint/suspicious/noExplicitAny: these stand for SST's real types, which exist only after `sst install`.
declare const sst: any;
declare const aws: any;
declare const $app: any;
declare const $interpolate: any;
declare const $jsonStringify: any;
declare const $resolve: any;
