import { timingSafeEqual } from 'node:crypto';

export interface MetricsAccessConfig {
  DEPLOYMENT_MODE: 'embedded' | 'production';
  METRICS_TOKEN?: string;
}

/**
 * Who may read `/metrics`: with METRICS_TOKEN set, only a scraper sending `Authorization: Bearer <token>`;
 * without it, anyone in embedded mode (loopback by default) and nobody in production (`off`: the route answers 404).
 * The figures carry no personal data, but unit workloads and backlogs are the province's to publish, not a stranger's.
 */
export function metricsAccess(
  config: MetricsAccessConfig,
  authorization: string | undefined,
): 'allowed' | 'unauthorized' | 'off' {
  if (!config.METRICS_TOKEN) {
    return config.DEPLOYMENT_MODE === 'embedded' ? 'allowed' : 'off';
  }
  const sent = Buffer.from(/^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(config.METRICS_TOKEN);
  return sent.length === expected.length && timingSafeEqual(sent, expected) ? 'allowed' : 'unauthorized';
}
