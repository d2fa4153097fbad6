/**
 * A local endpoint for AWS Cost Explorer and AWS Budgets, which have no emulator: one HTTP server
 * on loopback speaking the AWS JSON 1.1 protocol, dispatching on `X-Amz-Target` to Cost Explorer
 * (`AWSInsightsIndexService.*`) or Budgets (`AWSBudgetServiceGateway.*`). Point both SDK clients'
 * `endpoint` at its `url`. Answers come from the simulated organization (sim/spend-model.ts) as
 * of the simulated clock's day; every request is recorded, so tests can bound what enrichment costs.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dayOf } from '../sim/calendar.ts';
import { stableUuid } from '../sim/prng.ts';
import type { SpendModel } from '../sim/spend-model.ts';
import { createBudgetsService, type SimBudgetConfig } from './cost-explorer-budgets.ts';
import { createFaults, type FaultInjector } from './cost-explorer-faults.ts';
import { getCostForecast } from './cost-explorer-forecast.ts';
import { AwsServiceError, readJson, sendError, sendJson } from './cost-explorer-protocol.ts';
import { getCostAndUsage, getDimensionValues, type CostExplorerContext } from './cost-explorer-usage.ts';

export type { FaultInjector, FaultSpec } from './cost-explorer-faults.ts';
export type { SimBudgetConfig } from './cost-explorer-budgets.ts';

export const COST_EXPLORER_PREFIX = 'AWSInsightsIndexService';
export const BUDGETS_PREFIX = 'AWSBudgetServiceGateway';

/** The world the stand-in answers from, and where it listens. */
export interface CostExplorerOptions {
  model: SpendModel;
  /** The simulated clock; its UTC day is "today", whose costs are not known yet. Default: real time. */
  clock?: () => Date;
  /** Default 127.0.0.1: the stand-in has no authentication, so it stays off the network. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** The budgets the Budgets endpoint knows (usually the config's). Default: none. */
  budgets?: readonly SimBudgetConfig[];
  /** The account that owns the budgets. Default: the model's payer. */
  accountId?: string;
  /** The topic budget notifications start subscribed to; null for none. Default: SpendEvents in us-east-1. */
  topicArn?: string | null;
  /** Accounts Cost Explorer has no data for (DataUnavailableException when a request covers only them). */
  noDataAccounts?: readonly string[];
  /**
   * Groups (or ungrouped periods) per GetCostAndUsage page. Default 100, small enough that a month
   * of daily costs grouped by service spans several pages, as real answers do.
   */
  pageSize?: number;
}

/** One request as received. */
export interface RecordedRequest {
  /** The `X-Amz-Target` header, e.g. `AWSInsightsIndexService.GetCostAndUsage`. */
  target: string;
  input: Record<string, unknown>;
  /** The simulated time it arrived. */
  at: Date;
  /** The status answered. */
  status: number;
  /** The `__type` of the error answered, if any. */
  error?: string;
}

/** A running stand-in. */
export interface CostExplorerStandIn {
  /** `http://127.0.0.1:<port>`: the `endpoint` for both SDK clients. */
  url: string;
  close(): Promise<void>;
  /** Every request, in arrival order, failed ones included. */
  requests: RecordedRequest[];
  faults: FaultInjector;
  /** What the Cost Explorer requests answered so far would cost, in cents: AWS bills $0.01 per request (each page counts). */
  costExplorerChargesCents(): number;
}

/**
 * Starts the Cost Explorer and Budgets stand-in.
 * @example
 * const ce = await startCostExplorer({ model, clock: () => simulatedNow, budgets: config.budgets });
 * const client = new CostExplorerClient({ endpoint: ce.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
 */
export async function startCostExplorer(options: CostExplorerOptions): Promise<CostExplorerStandIn> {
  const { model } = options;
  const clock = options.clock ?? (() => new Date());
  const accountId = options.accountId ?? model.payerAccountId;
  const noData = new Set(options.noDataAccounts ?? []);
  const pageSize = options.pageSize ?? 100;
  const budgets = createBudgetsService({
    model,
    budgets: options.budgets ?? [],
    accountId,
    topicArn: options.topicArn === undefined ? `arn:aws:sns:us-east-1:${accountId}:SpendEvents` : options.topicArn,
  });
  const { faults, check } = createFaults();
  const requests: RecordedRequest[] = [];
  let served = 0;

  const costExplorer: Record<
    string,
    (ctx: CostExplorerContext, input: Record<string, unknown>) => Record<string, unknown>
  > = {
    GetCostAndUsage: getCostAndUsage,
    GetCostForecast: getCostForecast,
    GetDimensionValues: getDimensionValues,
  };

  function dispatch(target: string, input: Record<string, unknown>, today: string): Record<string, unknown> {
    const [prefix, operation = ''] = target.split('.');
    const handler = prefix === COST_EXPLORER_PREFIX ? costExplorer[operation] : undefined;
    if (handler) return handler({ model, today, pageSize, noData }, input);
    const answer = prefix === BUDGETS_PREFIX ? budgets.handle(operation, input, today) : null;
    if (answer) return answer;
    throw new AwsServiceError('UnknownOperationException', `Unknown operation ${JSON.stringify(target)}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = stableUuid('request', ++served);
    const target = String(req.headers['x-amz-target'] ?? '');
    const at = clock();
    let input: Record<string, unknown> = {};
    const record: RecordedRequest = { target, input, at, status: 200 };
    requests.push(record);
    try {
      if (req.method !== 'POST')
        throw new AwsServiceError(
          'UnknownOperationException',
          `${req.method} is not supported; AWS JSON 1.1 uses POST /`,
          404,
        );
      input = await readJson(req);
      record.input = input;
      const fault = check(target);
      if (fault) throw fault;
      sendJson(res, 200, dispatch(target, input, dayOf(at)), requestId);
    } catch (error) {
      // Anything unexpected is a bug in the stand-in; say so the way AWS says it, with a 500.
      const aws =
        error instanceof AwsServiceError
          ? error
          : new AwsServiceError('InternalServerException', (error as Error).message, 500);
      record.status = aws.status;
      record.error = aws.code;
      sendError(res, aws, requestId);
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}`,
    requests,
    faults,
    costExplorerChargesCents: () =>
      requests.filter((r) => r.target.startsWith(`${COST_EXPLORER_PREFIX}.`) && r.status === 200).length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // SDK clients keep connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
