#!/usr/bin/env node
// The CLI is written in TypeScript and run through tsx, so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on Node 20 about releases after January 2027; the versions pinned here support it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
// A reader that stops early (`| head`) closes the pipe; that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('../src/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// The command is done: a handle some library left open must not keep the process (and a CI job) alive.
setTimeout(() => process.exit(code), 2000).unref();
