/** The account, partition and region being deployed to, resolved at deploy, to build ARNs and conditions. */
export function accountContext() {
  return {
    partition: aws.getPartitionOutput({}).partition,
    region: aws.getRegionOutput({}).region,
    accountId: aws.getCallerIdentityOutput({}).accountId,
  };
}

export type AccountContext = ReturnType<typeof accountContext>;
