import type { DeliveryLedger, ThreadLedger } from '@spend-alerts/adapters';
import type { NoiseStore } from '@spend-alerts/core';
import { deliveryTarget, repeatKey, threadKey, type Receiver } from '@spend-alerts/core';
import type { ReadRecord } from './read-record.ts';

/**
 * The repeat marks and Slack thread timestamps a batch's alerts need, read in one request before its
 * records are handled (instead of two reads per alert), and kept current as the batch sends: records
 * about the same alert run in order, so the second sees what the first wrote. Keys not read up front
 * fall through to the table.
 */
export class BatchMarks {
  private constructor(
    private readonly noise: Pick<NoiseStore, 'lastSent'>,
    private readonly sent: Map<string, number | null>,
    private readonly threadTs: Map<string, string | null>,
  ) {}

  /** Reads the marks of every (event, receiver of this channel) in the batch. */
  static async read(
    stores: { deliveries: Pick<DeliveryLedger, 'readMarks'>; noise: Pick<NoiseStore, 'lastSent'> },
    reads: ReadRecord[],
  ): Promise<BatchMarks> {
    const repeats: Array<{ target: string; repeatKey: string }> = [];
    const threads: Array<{ target: string; key: string }> = [];
    for (const read of reads) {
      for (const item of read.items) {
        if (item.type !== 'event') continue;
        for (const match of item.matches) {
          const target = deliveryTarget(match.receiver);
          repeats.push({ target, repeatKey: repeatKey(item.event) });
          const key = match.receiver.type === 'slack' && match.receiver.threads ? threadKey(item.event) : null;
          if (key) threads.push({ target, key });
        }
      }
    }
    const found = repeats.length
      ? await stores.deliveries.readMarks(repeats, threads)
      : { lastSent: new Map(), threads: new Map() };
    return new BatchMarks(stores.noise, found.lastSent, found.threads);
  }

  async lastSent(target: string, key: string): Promise<number | null> {
    const k = `${target}|${key}`;
    return this.sent.has(k) ? this.sent.get(k)! : this.noise.lastSent(target, key);
  }

  noteSent(target: string, marks: Array<{ repeatKey: string; at: number }>): void {
    for (const m of marks) this.sent.set(`${target}|${m.repeatKey}`, m.at);
  }

  /**
   * The receiver's thread ledger for one send: reads answered from the batch's marks; the timestamp of
   * a thread the send starts is held and written with the delivery, in the same batch write (`take`),
   * instead of a conditional write of its own. Two consumers starting a thread for one key at the same
   * moment leave the later recorded: both messages are top-level, and replies go to that one.
   */
  sendThreads(receiver: Receiver, ledger: ThreadLedger): ThreadLedger & { take(): Array<{ key: string; ts: string }> } {
    const target = deliveryTarget(receiver);
    let started: Array<{ key: string; ts: string }> = [];
    return {
      get: async (key) => {
        const k = `${target}|${key}`;
        return this.threadTs.has(k) ? this.threadTs.get(k)! : ledger.get(key);
      },
      put: async (key, ts) => {
        started.push({ key, ts });
        this.threadTs.set(`${target}|${key}`, ts);
        return ts;
      },
      take: () => {
        const out = started;
        started = [];
        return out;
      },
    };
  }
}
