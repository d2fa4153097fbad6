import type { Io } from './io.ts';

/** An in-memory Io for running commands in tests: what they print is kept in `out` and `err`. */
export function memoryIo(stdin = '', cwd = process.cwd()): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
    readStdin: async () => stdin,
    cwd,
    env: {},
  };
  return io;
}
