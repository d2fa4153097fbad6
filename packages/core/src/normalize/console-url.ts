/**
 * Console links taken from a message. A message's text is not trusted (a budget name or an alarm
 * description can hold any URL), so a link becomes the alert's "Open in the AWS console" button
 * only when its parsed host is the AWS console: https, `console.aws.amazon.com` or a subdomain of
 * it (`us-east-1.console.aws.amazon.com`; `console.amazonaws.cn` in China), no credentials, the
 * default port.
 */

/** The link, normalized, when it points at the AWS console; else null. */
export function awsConsoleUrl(candidate: string | null | undefined): string | null {
  if (!candidate) return null;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  // `URL` lower-cases the scheme and host and decodes a punycode-free host, so the comparison below
  // sees what a browser would connect to.
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return null;
  return isAwsConsoleHost(url.hostname) ? url.href : null;
}

/** The AWS console's hosts: the global one and the China regions'. */
const CONSOLE_HOSTS = ['console.aws.amazon.com', 'console.amazonaws.cn'];

/** Whether a parsed hostname is the AWS console or one of its subdomains. */
export function isAwsConsoleHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return CONSOLE_HOSTS.some((console) => host === console || host.endsWith(`.${console}`));
}
