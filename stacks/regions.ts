import { spec } from './spec.ts';

/** The region the app deploys to: `providers.aws.region` in sst.config.ts (`SPEND_ALERTS_REGION`, default us-east-1). */
export function deployRegion(): string {
  const provider: unknown = $app.providers?.aws;
  const region =
    typeof provider === 'object' && provider !== null ? (provider as { region?: unknown }).region : undefined;
  if (typeof region !== 'string') throw new Error('sst.config.ts must set providers.aws.region');
  return region;
}

/**
 * The provider for what must live in us-east-1: billing alarms (the `AWS/Billing` metrics exist only
 * there, and an alarm notifies topics of its own region), Budgets and Cost Anomaly Detection (served
 * from us-east-1). Deploying in us-east-1, that is the default provider.
 */
export function billingRegionProvider(region: string) {
  if (region === spec.billingRegion) return undefined;
  return new aws.Provider('BillingRegion', { region: spec.billingRegion });
}
