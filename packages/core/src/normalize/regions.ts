/** Region display names as CloudWatch alarm messages print them, mapped to region codes. */
const REGION_CODES: Record<string, string> = {
  'US East (N. Virginia)': 'us-east-1',
  'US East (Ohio)': 'us-east-2',
  'US West (N. California)': 'us-west-1',
  'US West (Oregon)': 'us-west-2',
  'Africa (Cape Town)': 'af-south-1',
  'Asia Pacific (Hong Kong)': 'ap-east-1',
  'Asia Pacific (Hyderabad)': 'ap-south-2',
  'Asia Pacific (Jakarta)': 'ap-southeast-3',
  'Asia Pacific (Malaysia)': 'ap-southeast-5',
  'Asia Pacific (Melbourne)': 'ap-southeast-4',
  'Asia Pacific (Mumbai)': 'ap-south-1',
  'Asia Pacific (Osaka)': 'ap-northeast-3',
  'Asia Pacific (Seoul)': 'ap-northeast-2',
  'Asia Pacific (Singapore)': 'ap-southeast-1',
  'Asia Pacific (Sydney)': 'ap-southeast-2',
  'Asia Pacific (Thailand)': 'ap-southeast-7',
  'Asia Pacific (Tokyo)': 'ap-northeast-1',
  'Canada (Central)': 'ca-central-1',
  'Canada West (Calgary)': 'ca-west-1',
  'EU (Frankfurt)': 'eu-central-1',
  'EU (Ireland)': 'eu-west-1',
  'EU (London)': 'eu-west-2',
  'EU (Milan)': 'eu-south-1',
  'EU (Paris)': 'eu-west-3',
  'EU (Spain)': 'eu-south-2',
  'EU (Stockholm)': 'eu-north-1',
  'EU (Zurich)': 'eu-central-2',
  'Europe (Frankfurt)': 'eu-central-1',
  'Europe (Ireland)': 'eu-west-1',
  'Europe (London)': 'eu-west-2',
  'Europe (Milan)': 'eu-south-1',
  'Europe (Paris)': 'eu-west-3',
  'Europe (Spain)': 'eu-south-2',
  'Europe (Stockholm)': 'eu-north-1',
  'Europe (Zurich)': 'eu-central-2',
  'Israel (Tel Aviv)': 'il-central-1',
  'Mexico (Central)': 'mx-central-1',
  'Middle East (Bahrain)': 'me-south-1',
  'Middle East (UAE)': 'me-central-1',
  'South America (Sao Paulo)': 'sa-east-1',
  'South America (São Paulo)': 'sa-east-1',
  'China (Beijing)': 'cn-north-1',
  'China (Ningxia)': 'cn-northwest-1',
  'AWS GovCloud (US-East)': 'us-gov-east-1',
  'AWS GovCloud (US-West)': 'us-gov-west-1',
};

/** Older messages print `US East - N. Virginia`, `EU - Ireland`, `US - N. Virginia`. */
const ALIASES: Record<string, string> = {
  'us n virginia': 'us-east-1',
  'us virginia': 'us-east-1',
  'us standard': 'us-east-1',
};

const simplify = (name: string) =>
  name
    .toLowerCase()
    .replace(/^europe\b/, 'eu')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
const BY_SIMPLE_NAME: Record<string, string> = {
  ...Object.fromEntries(Object.entries(REGION_CODES).map(([n, c]) => [simplify(n), c])),
  ...ALIASES,
};

const CODE = /^[a-z]{2}(?:-gov)?-[a-z]+-\d$/;

/** The region code from an ARN (`arn:aws:cloudwatch:us-east-1:…`), else from a display name or a code. */
export function regionCode(arn: string | null, displayName: string | null): string | null {
  const fromArn = arn ? arnField(arn, 3) : undefined;
  if (fromArn && CODE.test(fromArn)) return fromArn;
  if (!displayName) return null;
  if (CODE.test(displayName)) return displayName;
  return REGION_CODES[displayName.trim()] ?? BY_SIMPLE_NAME[simplify(displayName)] ?? null;
}

/** The `index`th colon-separated field of an ARN: `arn.split(':')[index]` without the array. */
export function arnField(arn: string, index: number): string | undefined {
  let start = 0;
  for (let i = 0; i < index; i++) {
    const colon = arn.indexOf(':', start);
    if (colon < 0) return undefined;
    start = colon + 1;
  }
  const end = arn.indexOf(':', start);
  return end < 0 ? arn.slice(start) : arn.slice(start, end);
}
