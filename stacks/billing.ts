import type { Config } from '@spend-alerts/core';
import { anomalyPlan, billingAlarmPlans, budgetPlans } from './billing-plan.ts';
import type { createSpendTopics } from './topic.ts';

/**
 * The budgets, billing alarms and anomaly monitor the config asks for (all optional), in us-east-1.
 * Budgets and anomalies notify the spend topic; billing alarms notify the spend topic of us-east-1.
 */
export function createBillingResources(config: Config, topics: ReturnType<typeof createSpendTopics>) {
  const opts = topics.billingProvider ? { provider: topics.billingProvider } : undefined;
  for (const plan of budgetPlans(config, topics.main.arn, $app.stage)) {
    new aws.budgets.Budget(plan.key, plan.args, opts);
  }
  for (const plan of billingAlarmPlans(config, topics.billing.arn, $app.stage)) {
    new aws.cloudwatch.MetricAlarm(plan.key, plan.args, opts);
  }
  const anomaly = anomalyPlan(config, topics.main.arn, $app.name, $app.stage);
  if (anomaly) {
    const monitor = new aws.costexplorer.AnomalyMonitor('AnomalyMonitor', anomaly.monitor, opts);
    new aws.costexplorer.AnomalySubscription(
      'AnomalySubscription',
      { ...anomaly.subscription, monitorArnLists: [monitor.arn] },
      opts,
    );
  }
}
