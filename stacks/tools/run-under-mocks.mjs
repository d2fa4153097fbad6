// Runs sst.config.ts's run() as `sst deploy` evaluates it, but against Pulumi's mocks, so nothing
// reaches AWS, and prints as JSON every resource it would create.
//
// Faithful where it matters: the program is bundled the way SST 4's CLI bundles it (esbuild, SST's
// shim injected, `aws` and `sst` imported into every file of ours, `$app`/`$cli`/`$dev` defined, Pulumi
// packages external) and runs on the @pulumi/pulumi that `sst install` put in .sst/platform (newer
// releases need Node 22). The SST CLI's RPC server, which components call to build function bundles
// and to read the bootstrap bucket, is stood in for by a local HTTP server: function code is never
// bundled here, so handlers need not exist yet.
//
// Usage: node stacks/tools/run-under-mocks.mjs [--stage test] [--region us-east-1] [--out file.json]
// Secrets come from the environment as SST passes them: SST_SECRET_<Name>.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PLATFORM, ROOT, platformReady } from './platform.mjs';

const ACCOUNT_ID = '123456789012';

const { values: options } = parseArgs({
  options: {
    stage: { type: 'string', default: 'test' },
    region: { type: 'string' },
    out: { type: 'string' },
  },
});
if (options.region) process.env.SPEND_ALERTS_REGION = options.region;

if (!platformReady()) {
  console.error('.sst/platform is missing or stale: run `npm run check:infra` (it runs `sst install` offline) first.');
  process.exit(2);
}

const platformRequire = createRequire(path.join(PLATFORM, 'package.json'));
const esbuild = platformRequire('esbuild');
const pulumi = platformRequire('@pulumi/pulumi');

const work = mkdtempSync(path.join(os.tmpdir(), 'spend-alerts-mocks-'));
const record = {
  account: ACCOUNT_ID,
  app: undefined,
  resources: [],
  invokes: [],
  rpc: [],
  outputs: undefined,
  errors: [],
};
// A deploy fails on an error thrown inside an output (an unset secret, say); under mocks the stack
// would then wait forever for that output, so the first such error ends the run.
process.on('unhandledRejection', (error) => finish(String(error?.stack ?? error)));
process.on('uncaughtException', (error) => finish(String(error?.stack ?? error)));
const timer = setTimeout(() => finish('the program did not finish within 60 s'), 60_000);

try {
  const app = await evaluateApp();
  record.app = app;
  const defaultRegion = app.providers.aws.region;
  const cli = {
    command: 'deploy',
    dev: false,
    paths: { home: path.join(work, 'home'), root: ROOT, work, platform: PLATFORM },
    state: { version: {} },
  };
  const server = await startRpcServer(defaultRegion);
  process.env.SST_SERVER = `http://127.0.0.1:${server.address().port}`;
  try {
    const program = await bundle('program', programEntry(), {
      $app: JSON.stringify(app),
      $cli: JSON.stringify(cli),
      $dev: 'false',
    });
    await pulumi.runtime.setMocks(createMocks(defaultRegion), app.name, options.stage, false);
    const outputs = await pulumi.runtime.runInPulumiStack(() => program.run(program.mod.run));
    await pulumi.runtime.waitForRPCs?.();
    record.outputs = outputs;
  } finally {
    server.close();
  }
  finish();
} catch (error) {
  finish(String(error?.stack ?? error));
}

/** Prints what was recorded (and why it stopped, if it failed) and exits. */
function finish(error) {
  clearTimeout(timer);
  if (error) record.errors.push(error);
  rmSync(work, { recursive: true, force: true });
  const json = JSON.stringify(record, replacer, 2);
  if (options.out) writeFileSync(options.out, json);
  else process.stdout.write(`${json}\n`);
  process.exit(record.errors.length ? 1 : 0);
}

/** What `app()` returns for this stage, completed as SST completes it into `$app`. */
async function evaluateApp() {
  const mod = await bundle(
    'app',
    `import mod from ${JSON.stringify(path.join(ROOT, 'sst.config.ts'))};\nexport default mod;`,
    {
      $app: '{}',
      $cli: '{}',
      $dev: 'false',
    },
  );
  const app = await mod.default.app({ stage: options.stage });
  return { removal: 'retain', protect: false, ...app, stage: options.stage };
}

/** The code SST 4 wraps around sst.config.ts, minus the call, which runs here inside the mocked stack. */
function programEntry() {
  return [
    `import { run } from ${JSON.stringify(path.join(PLATFORM, 'src/auto/run.ts'))};`,
    `import mod from ${JSON.stringify(path.join(ROOT, 'sst.config.ts'))};`,
    'export { run, mod };',
  ].join('\n');
}

/** Bundles and imports an entry the way SST's CLI does (pkg/js/js.go and pkg/project/run.go in SST 4). */
async function bundle(name, contents, define) {
  const outfile = path.join(PLATFORM, `spend-alerts.mocks.${name}.${process.pid}.mjs`);
  const lock = JSON.parse(readFileSync(path.join(ROOT, '.sst', 'provider-lock.json'), 'utf8'));
  const globals = [
    ...lock.map((entry) => `import * as ${entry.alias} from ${JSON.stringify(entry.package)};`),
    `import * as sst from ${JSON.stringify(path.join(PLATFORM, 'src/components'))};`,
  ].join('\n');
  try {
    await esbuild.build({
      banner: {
        js: [
          "import { createRequire as topLevelCreateRequire } from 'module';",
          'const require = topLevelCreateRequire(import.meta.url);',
          "import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from 'url';",
          'const __filename = topLevelFileUrlToPath(import.meta.url);',
          "const __dirname = topLevelFileUrlToPath(new topLevelURL('.', import.meta.url));",
        ].join('\n'),
      },
      mainFields: ['module', 'main'],
      format: 'esm',
      platform: 'node',
      stdin: { contents, resolveDir: ROOT, sourcefile: 'eval.ts', loader: 'ts' },
      nodePaths: [path.join(PLATFORM, 'node_modules')],
      plugins: [
        {
          // SST imports the providers and `sst` into every file outside .sst, so they are in scope.
          name: 'InjectGlobals',
          setup(build) {
            build.onLoad({ filter: /\.(js|ts|jsx|tsx)$/ }, (args) => {
              const source = readFileSync(args.path, 'utf8');
              return { contents: args.path.includes('.sst') ? source : `${globals}\n${source}`, loader: 'default' };
            });
          },
        },
      ],
      external: [
        '@pulumi/*',
        'undici',
        '@pulumiverse/*',
        '@sst-provider/*',
        '@aws-sdk/*',
        'esbuild',
        'archiver',
        'glob',
        'vite',
      ],
      define,
      inject: [path.join(PLATFORM, 'src/shim/run.js')],
      outfile,
      write: true,
      bundle: true,
      logLevel: 'error',
    });
    return await import(outfile);
  } finally {
    rmSync(outfile, { force: true });
  }
}

/** Stands in for the SST CLI's RPC server: builds nothing, records what it was asked to build. */
function startRpcServer(region) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { method, params } = JSON.parse(body);
      const args = params?.[0] ?? {};
      let result;
      let error;
      if (method === 'Provider.Aws.Bootstrap') {
        record.rpc.push({ method, region: args.region });
        result = {
          asset: `sst-asset-${ACCOUNT_ID}`,
          assetEcrRegistryId: ACCOUNT_ID,
          assetEcrUrl: `${ACCOUNT_ID}.dkr.ecr.${args.region ?? region}.amazonaws.com/sst-asset`,
          state: `sst-state-${ACCOUNT_ID}`,
          appsyncHttp: '',
          appsyncRealtime: '',
        };
      } else if (method === 'Runtime.Build') {
        const out = path.join(work, 'build', args.functionID);
        mkdirSync(out, { recursive: true });
        writeFileSync(path.join(out, 'index.mjs'), 'export const handler = async () => ({ batchItemFailures: [] });\n');
        record.rpc.push({
          method,
          functionID: args.functionID,
          handler: args.handler,
          runtime: args.runtime,
          architecture: args.properties?.architecture,
          copyFiles: (args.copyFiles ?? []).map((c) => ({ from: path.relative(ROOT, c.from), to: c.to })),
          // Link values hold secrets; the names are what matters.
          links: Object.keys(args.links ?? {}).sort(),
        });
        result = { handler: 'index.handler', out, errors: [], sourcemaps: [] };
      } else {
        record.rpc.push({ method, unexpected: true });
        error = `rpc: can't find method ${method}`;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ result, error }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Pulumi mocks that answer like AWS would: ARNs, URLs and names from the logical names, in the provider's region. */
function createMocks(defaultRegion) {
  const providerRegions = new Map();
  const regionOf = (provider) => providerRegions.get(provider?.split('::').pop()) ?? defaultRegion;
  return {
    newResource(args) {
      const region = regionOf(args.provider);
      const id = `${args.name}-id`;
      if (args.type.startsWith('pulumi:providers:')) providerRegions.set(id, args.inputs.region);
      const state = { ...args.inputs, ...computedState(args.type, args.name, args.inputs, region) };
      record.resources.push({ type: args.type, name: args.name, region, inputs: args.inputs, state });
      return { id, state };
    },
    call(args) {
      const region = regionOf(args.provider);
      record.invokes.push({ token: args.token, region });
      switch (args.token) {
        case 'aws:index/getPartition:getPartition':
          return { id: 'aws', partition: 'aws', dnsSuffix: 'amazonaws.com', reverseDnsPrefix: 'com.amazonaws' };
        case 'aws:index/getRegion:getRegion':
          return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
        case 'aws:index/getCallerIdentity:getCallerIdentity':
          return { id: ACCOUNT_ID, accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/mock`, userId: 'MOCK' };
        case 'aws:iam/getPolicyDocument:getPolicyDocument': {
          // Like AWS's provider, echo the statements too: SST reads them to decide whether a role gets an inline policy.
          const statements = args.inputs.statements ?? [];
          const json = renderPolicyDocument(statements);
          return { id: 'policy', json, minifiedJson: json, statements, version: '2012-10-17' };
        }
        default:
          record.errors.push(`unmocked invoke ${args.token}`);
          return {};
      }
    },
  };
}

function computedState(type, name, inputs, region) {
  const physical = inputs.name ?? name;
  const arn = (service, resource) => `arn:aws:${service}:${region}:${ACCOUNT_ID}:${resource}`;
  switch (type) {
    case 'aws:sqs/queue:Queue':
      return {
        name: physical,
        arn: arn('sqs', physical),
        url: `https://sqs.${region}.amazonaws.com/${ACCOUNT_ID}/${physical}`,
      };
    case 'aws:sns/topic:Topic':
      return { name: physical, arn: arn('sns', physical) };
    case 'aws:lambda/function:Function':
      return {
        name: physical,
        arn: arn('lambda', `function:${physical}`),
        qualifiedArn: arn('lambda', `function:${physical}:$LATEST`),
        version: '$LATEST',
      };
    case 'aws:iam/role:Role':
      return { name: physical, arn: `arn:aws:iam::${ACCOUNT_ID}:role/${physical}` };
    case 'aws:dynamodb/table:Table':
      return { name: physical, arn: arn('dynamodb', `table/${physical}`) };
    case 'random:index/randomBytes:RandomBytes':
      return { base64: 'bW9jay1rZXk=', hex: '6d6f636b2d6b6579' };
    case 'aws:costexplorer/anomalyMonitor:AnomalyMonitor':
      return { arn: `arn:aws:ce::${ACCOUNT_ID}:anomalymonitor/${name}` };
    default:
      return { arn: inputs.arn ?? arn('mock', `${type.split(':').pop()}/${physical}`) };
  }
}

/** IAM writes a list of one as its one value. */
function one(values) {
  return values?.length === 1 ? values[0] : values;
}

/** What `aws.iam.getPolicyDocument` returns: the statements as IAM JSON. */
function renderPolicyDocument(statements) {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) =>
      Object.fromEntries(
        Object.entries({
          Sid: s.sid,
          Effect: s.effect ?? 'Allow',
          Action: one(s.actions),
          Resource: one(s.resources),
          Principal: s.principals && Object.fromEntries(s.principals.map((p) => [p.type, one(p.identifiers)])),
          Condition: s.conditions && conditionBlock(s.conditions),
        }).filter(([, value]) => value !== undefined),
      ),
    ),
  });
}

/** Makes mock inputs printable: assets by their kind, secrets unwrapped. */
function replacer(_key, value) {
  if (value && typeof value === 'object') {
    const kind = value.constructor?.name;
    if (kind === 'FileArchive' || kind === 'FileAsset' || kind === 'StringAsset' || kind === 'AssetArchive')
      return { asset: kind };
    if (value['4dabf18193072939515e22adb298388d'] === '1b47061264138c4ac30d75fd1eb44270') return value.value;
  }
  return value;
}

/** IAM's Condition block: `{ test: { variable: value } }`, merging conditions of one test. */
function conditionBlock(conditions) {
  const block = {};
  for (const c of conditions) {
    block[c.test] ??= {};
    block[c.test][c.variable] = one(c.values);
  }
  return block;
}
