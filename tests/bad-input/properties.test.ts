import fc from 'fast-check';
import { describe, it } from 'vitest';
import { anyInput, assertSafe, injectedMessage, renderAll } from './render-check.ts';

/** The bench runs the same properties with 100,000 cases (bench/bad-input.ts). */
const RUNS = 2000;

describe('any input, rendered for every channel, stays safe', () => {
  it('arbitrary text and JSON, mutated real messages, in any envelope', () => {
    fc.assert(
      fc.property(anyInput, (input) => assertSafe(renderAll(input))),
      { numRuns: RUNS, seed: 8 },
    );
  });

  it('real messages with an injection string (or arbitrary text) in any one field', () => {
    fc.assert(
      fc.property(injectedMessage, (input) => assertSafe(renderAll(input))),
      { numRuns: RUNS, seed: 9 },
    );
  });
});
