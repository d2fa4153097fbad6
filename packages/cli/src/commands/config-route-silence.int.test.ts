import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoLedgerStores } from '@spend-alerts/adapters';
import { startLocalStack, type LocalStack } from '@spend-alerts/local';
import { main } from '../main.ts';
import { memoryIo } from '../testing.ts';

const ROOT = new URL('../../../../', import.meta.url).pathname;

function tempDir(files: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sa-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('spend-alerts config validate', () => {
  it('exits 0 for the example config', async () => {
    const io = memoryIo('', ROOT);
    expect(await main(['config', 'validate'], io)).toBe(0);
    expect(io.out).toMatch(/^spend-alerts\.config\.yaml: valid \(8 receivers, \d+ routes, 1 mute time windows\)/);
  });

  it('exits 1 listing every problem with its path', async () => {
    const dir = tempDir({
      'bad.yaml':
        'receivers:\n  - { name: ops, type: slack, channel: "#ops" }\nroute:\n  receiver: ops\n  routes:\n    - receiver: opz\n    - { muteTimeWindows: [weekend] }\n',
    });
    const io = memoryIo('', dir);
    expect(await main(['config', 'validate', 'bad.yaml'], io)).toBe(1);
    expect(io.err).toContain('route.routes[0].receiver: unknown receiver "opz" (known: ops)');
    expect(io.err).toContain('route.routes[1].muteTimeWindows[0]: unknown mute time window "weekend"');
  });

  it('exits 2 when there is no config to validate', async () => {
    const io = memoryIo('', tempDir());
    expect(await main(['config', 'validate'], io)).toBe(2);
    expect(io.err).toContain('no configuration found');
  });
});

describe('spend-alerts route', () => {
  it('shows the receivers an alert reaches and why', async () => {
    const io = memoryIo('', ROOT);
    expect(await main(['route', 'tests/fixtures/budgets/cost-daily-actual.txt'], io)).toBe(0);
    expect(io.out).toContain('✓ route.routes[0] (finance-feed)');
    expect(io.out).toContain('✗ tag.env = "prod" (tag.env is (none))');
    const receivers = io.out
      .slice(io.out.indexOf('receivers:'))
      .split('\n')
      .filter((l) => /^ {4}\S/.test(l))
      .map((l) => l.trim().split(' ')[0]);
    expect(receivers).toEqual(['finance-webhook', 'finops-digest', 'finops-slack']);
  });
});

describe('spend-alerts silence', () => {
  let stack: LocalStack;
  let dir: string;
  beforeAll(async () => {
    stack = await startLocalStack();
    dir = tempDir();
    mkdirSync(join(dir, '.spend-alerts'));
    writeFileSync(
      join(dir, '.spend-alerts', 'local.json'),
      JSON.stringify({ dynamoUrl: stack.dynamoUrl, tableName: stack.tableName, pid: process.pid }),
    );
  });
  afterAll(() => stack?.close());

  it("adds, lists and expires a silence in the pipeline's own table, where the consumers read it", async () => {
    const add = memoryIo('', dir);
    expect(
      await main(
        ['silence', 'add', 'accountName = sandbox', '--duration', '1h', '--comment', 'load test', '--author', 'ana'],
        add,
      ),
    ).toBe(0);
    const id = add.out.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await dynamoLedgerStores({ client: stack.dynamo, tableName: stack.tableName }).noise.listSilences();
    expect(stored).toMatchObject([{ id, matchers: ['accountName = sandbox'], createdBy: 'ana', comment: 'load test' }]);

    const list = memoryIo('', dir);
    await main(['silence', 'list'], list);
    expect(list.out).toContain(`${id}  active`);
    expect(list.out).toContain('accountName = sandbox  (ana: load test)');

    expect(await main(['silence', 'expire', id.slice(0, 8)], memoryIo('', dir))).toBe(0);
    const after = memoryIo('', dir);
    await main(['silence', 'list'], after);
    expect(after.out).toBe('');
    const all = memoryIo('', dir);
    await main(['silence', 'list', '--all'], all);
    expect(all.out).toContain(`${id}  expired`);
  });

  it('refuses a silence without a comment or with a bad matcher', async () => {
    const io = memoryIo('', dir);
    expect(await main(['silence', 'add', 'kind = budget'], io)).toBe(2);
    expect(io.err).toContain('--comment is required');
    const io2 = memoryIo('', dir);
    expect(await main(['silence', 'add', 'kind budget', '--comment', 'x'], io2)).toBe(2);
    expect(io2.err).toContain('"kind budget" is not a matcher');
  });

  it('says what to do when no pipeline runs here and no table is given', async () => {
    const io = memoryIo('', tempDir());
    expect(await main(['silence', 'list'], io)).toBe(2);
    expect(io.err).toContain('no pipeline to silence: start it with npm start, or give --table');
  });
});
