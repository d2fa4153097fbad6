/** The SDK's names for the service-specific endpoint variables (`AWS_ENDPOINT_URL_<ID>`). */
export type AwsServiceId = 'SQS' | 'SNS' | 'DYNAMODB' | 'SESV2' | 'COST_EXPLORER' | 'BUDGETS' | 'ORGANIZATIONS';

/** Connect and response timeouts for every AWS client: a stuck request fails and is retried, never hangs a consumer. */
export const REQUEST_TIMEOUTS = { connectionTimeout: 3_000, requestTimeout: 15_000 };

/**
 * Client settings read from an explicit environment rather than `process.env`, so that tests and
 * the local runtime can run several pipelines in one process. In a Lambda it reads what the SDK
 * would: region, credentials, and the standard `AWS_ENDPOINT_URL_<SERVICE>` overrides.
 */
export function awsClientConfig(env: NodeJS.ProcessEnv, service: AwsServiceId, region?: string) {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          sessionToken: env.AWS_SESSION_TOKEN,
        }
      : undefined;
  return {
    region: region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    // The SDK waits forever on a request that never answers; fail it instead, so its retry can succeed.
    requestHandler: REQUEST_TIMEOUTS,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
}
