/**
 * What a link gives a handler: a name it reads through `Resource.X`, and no rights. SST's default links
 * would grant `sqs:*`, `dynamodb:*` and `sns:*` on what they name; here every right comes from
 * permissions.ts, the one tested place that says what each function may do.
 * Call once, before the functions are created.
 */
export function linkNamesOnly(): void {
  sst.Linkable.wrap(sst.aws.Queue, (queue: InstanceType<typeof sst.aws.Queue>) => ({ properties: { url: queue.url } }));
  sst.Linkable.wrap(sst.aws.Dynamo, (table: InstanceType<typeof sst.aws.Dynamo>) => ({
    properties: { name: table.name },
  }));
  sst.Linkable.wrap(sst.aws.SnsTopic, (topic: InstanceType<typeof sst.aws.SnsTopic>) => ({
    properties: { arn: topic.arn },
  }));
}
