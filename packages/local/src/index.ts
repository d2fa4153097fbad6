export { startLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from './runtime/pipeline.ts';
export { startLocalStack, type LocalStack } from './runtime/stack.ts';
export { SqsPoller, toRecord } from './runtime/poller.ts';
export { simClock, type SimClockSpec } from './runtime/clock.ts';
export type { RunSummary } from './runtime/summary.ts';
export { isProcessAlive } from './runtime/process.ts';
