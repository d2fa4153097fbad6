/**
 * What the simulated organization runs: AWS services under the names Cost Explorer uses (its
 * `SERVICE` dimension), each with the `ServiceName` code billing alarms use, and the accounts
 * of the example config with what each spends on a weekday.
 */

/** A service as Cost Explorer and the `AWS/Billing` metric name it. */
export interface SimService {
  /** The Cost Explorer `SERVICE` value, e.g. `Amazon Elastic Compute Cloud - Compute`. */
  name: string;
  /**
   * The `ServiceName` dimension of `EstimatedCharges`. Several Cost Explorer services share one
   * code: `EC2 - Other` (EBS, NAT gateways) is billed under AmazonEC2 as compute is.
   */
  code: string;
  /** Saturday and Sunday cost as a fraction of a weekday's: batch and dev usage stops, storage does not. */
  weekend: number;
}

/** Cost Explorer's name for EC2 instances, the service the default anomaly hits. */
export const EC2_COMPUTE = 'Amazon Elastic Compute Cloud - Compute';

/** The services the simulated organization pays for. */
export const SERVICES: readonly SimService[] = [
  { name: EC2_COMPUTE, code: 'AmazonEC2', weekend: 0.6 },
  { name: 'EC2 - Other', code: 'AmazonEC2', weekend: 0.9 },
  { name: 'Amazon Relational Database Service', code: 'AmazonRDS', weekend: 0.95 },
  { name: 'Amazon Simple Storage Service', code: 'AmazonS3', weekend: 0.9 },
  { name: 'AWS Lambda', code: 'AWSLambda', weekend: 0.45 },
  { name: 'Amazon CloudFront', code: 'AmazonCloudFront', weekend: 0.65 },
  { name: 'Amazon DynamoDB', code: 'AmazonDynamoDB', weekend: 0.7 },
  { name: 'AWS Data Transfer', code: 'AWSDataTransfer', weekend: 0.6 },
  { name: 'AmazonCloudWatch', code: 'AmazonCloudWatch', weekend: 0.9 },
];

/** A linked account of the simulated organization. */
export interface SimAccount {
  id: string;
  name: string;
  /** USD per day per service (Cost Explorer name) on a weekday at the start of the scenario month. */
  baseDaily: Readonly<Record<string, number>>;
  /** Cost allocation tags on everything the account runs, for Cost Explorer's TAG grouping. */
  tags?: Readonly<Record<string, string>>;
  /** The account's first day of usage; before it Cost Explorer has no data for it. */
  createdOn?: string;
}

/** The payer (management) account: where budgets, billing alarms and the pipeline live. */
export const PAYER_ACCOUNT_ID = '999999999999';

/**
 * The three accounts of spend-alerts.config.yaml and the payer. Sized so that the example
 * budgets and alarms are crossed on different days of the month (see spend-model.test.ts).
 */
export const DEFAULT_ACCOUNTS: readonly SimAccount[] = [
  {
    id: '111111111111',
    name: 'production',
    tags: { team: 'platform', env: 'prod' },
    baseDaily: {
      [EC2_COMPUTE]: 161.2,
      'EC2 - Other': 29.1,
      'Amazon Relational Database Service': 85.3,
      'Amazon Simple Storage Service': 20.8,
      'AWS Lambda': 15.6,
      'Amazon CloudFront': 27,
      'Amazon DynamoDB': 18.7,
      'AWS Data Transfer': 16.6,
      AmazonCloudWatch: 9.4,
    },
  },
  {
    id: '222222222222',
    name: 'data-lake',
    tags: { team: 'data', env: 'prod' },
    baseDaily: {
      [EC2_COMPUTE]: 27,
      'EC2 - Other': 5.6,
      'Amazon Simple Storage Service': 21.5,
      'AWS Lambda': 2.8,
      'Amazon DynamoDB': 1.9,
      'AWS Data Transfer': 5.6,
      AmazonCloudWatch: 1.9,
    },
  },
  {
    id: '333333333333',
    name: 'sandbox',
    tags: { team: 'platform', env: 'dev' },
    baseDaily: {
      [EC2_COMPUTE]: 20.8,
      'EC2 - Other': 3.1,
      'AWS Lambda': 2.1,
      'Amazon Simple Storage Service': 2.1,
      'Amazon DynamoDB': 1,
      AmazonCloudWatch: 1,
    },
  },
  {
    id: PAYER_ACCOUNT_ID,
    name: 'management',
    baseDaily: { 'Amazon Simple Storage Service': 2, AmazonCloudWatch: 1 },
  },
];

/** The sudden cost a scenario injects, and that Cost Anomaly Detection then reports. */
export interface SimAnomaly {
  account: string;
  /** Cost Explorer service name. */
  service: string;
  region: string;
  usageType: string;
  /** Day of the scenario month the spike starts (1-based). */
  startDay: number;
  days: number;
  /** USD added per day on top of the usual cost. */
  extraDaily: number;
}

/** A Spark cluster of r5.8xlarge instances left running in the data lake for four days from the 11th. */
export const DEFAULT_ANOMALY: SimAnomaly = {
  account: '222222222222',
  service: EC2_COMPUTE,
  region: 'us-east-1',
  usageType: 'BoxUsage:r5.8xlarge',
  startDay: 11,
  days: 4,
  extraDaily: 260,
};
