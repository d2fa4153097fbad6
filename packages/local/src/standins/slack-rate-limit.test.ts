import { describe, expect, it } from 'vitest';
import { PostRateLimit } from './slack-rate-limit.ts';

/** A limit on a clock the test moves. */
function limitAt(startMs = 0) {
  let now = startMs;
  const limit = new PostRateLimit(() => now);
  const advance = (ms: number) => {
    now += ms;
  };
  return { limit, advance };
}

describe('PostRateLimit: Slack chat.postMessage limit per channel', () => {
  it('lets every post through until configured', () => {
    const { limit } = limitAt();
    expect(Array.from({ length: 50 }, () => limit.take('C1'))).toEqual(new Array(50).fill(0));
    expect([limit.enabled, limit.refused]).toEqual([false, 0]);
  });

  it('tolerates a burst, then answers Retry-After in whole seconds until a message fits again', () => {
    const { limit, advance } = limitAt();
    limit.configure({ perSecond: 1, burst: 3 });
    expect([limit.take('C1'), limit.take('C1'), limit.take('C1'), limit.take('C1')]).toEqual([0, 0, 0, 1]);
    advance(400);
    expect(limit.take('C1')).toBe(1); // 0.4 of a message back: wait
    advance(600);
    expect([limit.take('C1'), limit.take('C1')]).toEqual([0, 1]);
    expect(limit.refused).toBe(3);
  });

  it('sustains perSecond once the burst is spent', () => {
    const { limit, advance } = limitAt();
    limit.configure({ perSecond: 1, burst: 5 });
    let sent = 0;
    // 60 s of a client posting every 100 ms.
    for (let t = 0; t < 60_000; t += 100, advance(100)) if (limit.take('C1') === 0) sent++;
    expect(sent).toBe(5 + 59);
  });

  it('keeps one bucket per channel', () => {
    const { limit } = limitAt();
    limit.configure({ perSecond: 1, burst: 1 });
    expect([limit.take('C1'), limit.take('C2'), limit.take('C1'), limit.take('C2')]).toEqual([0, 0, 1, 1]);
  });

  it('asks a slower limit for a longer wait', () => {
    const { limit } = limitAt();
    limit.configure({ perSecond: 0.25, burst: 1 });
    expect([limit.take('C1'), limit.take('C1')]).toEqual([0, 4]);
  });

  it('turns off again, and rejects parameters that admit nothing', () => {
    const { limit } = limitAt();
    limit.configure({ burst: 1 });
    expect([limit.take('C1'), limit.take('C1')]).toEqual([0, 1]);
    limit.configure(null);
    expect([limit.take('C1'), limit.refused, limit.enabled]).toEqual([0, 0, false]);
    expect(() => limit.configure({ perSecond: 0 })).toThrow(RangeError);
    expect(() => limit.configure({ burst: 0 })).toThrow(RangeError);
  });
});
