import { describe, expect, it } from 'vitest';
import { FaultPlan, readBody, send, stall, startLocalServer } from './http.ts';

describe('startLocalServer', () => {
  it('binds to loopback and closes at once despite a stalled request and keep-alive sockets', async () => {
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const server = await startLocalServer(async (req, res, signal) => {
      await readBody(req);
      if (req.url === '/slow') {
        started();
        await stall(60_000, signal);
      }
      send(res, 200, 'ok');
    });
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${server.origin}/fast`)).text()).toBe('ok');

    const slow = fetch(`${server.origin}/slow`).then(
      () => 'answered',
      () => 'dropped',
    );
    await inFlight;
    await server.close();
    expect(await slow).toBe('dropped');
  });

  it('answers 413 past the body limit', async () => {
    const server = await startLocalServer(async (req, res) => {
      await readBody(req, 10);
      send(res, 200, 'ok');
    });
    try {
      const response = await fetch(server.origin, { method: 'POST', body: 'x'.repeat(100) });
      expect(response.status).toBe(413);
    } finally {
      await server.close();
    }
  });
});

describe('FaultPlan', () => {
  it('gives scripted faults to matching targets in order', () => {
    const plan = new FaultPlan().script({ target: 'b', status: 500 }, { status: 429, retryAfter: 1 });
    expect(plan.take('a')).toEqual({ stallMs: 0, status: 429, retryAfter: 1 });
    expect(plan.take('b')).toEqual({ stallMs: 0, target: 'b', status: 500 });
    expect(plan.take('b')).toBeUndefined();
  });

  it('applies the standing stall to every call', () => {
    const plan = new FaultPlan();
    plan.stallMs = 50;
    expect(plan.take('a')).toEqual({ stallMs: 50 });
  });

  it('is reproducible per seed and close to the asked rates', () => {
    const draw = (seed: number) => {
      const plan = new FaultPlan().randomly({ rate429: 0.3, rate5xx: 0.2, seed });
      return Array.from({ length: 2000 }, () => plan.take('x')?.status ?? 200);
    };
    const run = draw(3);
    expect(draw(3)).toEqual(run);
    expect(draw(4)).not.toEqual(run);
    const share = (status: number) => run.filter((s) => s === status).length / run.length;
    expect(share(429)).toBeCloseTo(0.3, 1);
    expect(share(500)).toBeCloseTo(0.2, 1);
  });

  it('rejects rates that cannot be probabilities', () => {
    expect(() => new FaultPlan().randomly({ rate429: 0.8, rate5xx: 0.5 })).toThrow(RangeError);
  });
});
