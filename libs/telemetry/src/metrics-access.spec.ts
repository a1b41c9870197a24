import { metricsAccess } from './metrics-access';

describe('metricsAccess', () => {
  const token = 'scraper-token-0123456789';

  it('lets only the bearer of METRICS_TOKEN read, in either mode', () => {
    for (const mode of ['embedded', 'production'] as const) {
      const config = { DEPLOYMENT_MODE: mode, METRICS_TOKEN: token };
      expect(metricsAccess(config, `Bearer ${token}`)).toBe('allowed');
      expect(metricsAccess(config, `bearer ${token}`)).toBe('allowed');
      expect(metricsAccess(config, undefined)).toBe('unauthorized');
      expect(metricsAccess(config, `Bearer ${token}x`)).toBe('unauthorized');
      expect(metricsAccess(config, token)).toBe('unauthorized');
    }
  });

  it('without a token, is open in embedded mode and off in production', () => {
    expect(metricsAccess({ DEPLOYMENT_MODE: 'embedded' }, undefined)).toBe('allowed');
    expect(metricsAccess({ DEPLOYMENT_MODE: 'production' }, undefined)).toBe('off');
    expect(metricsAccess({ DEPLOYMENT_MODE: 'production' }, 'Bearer anything-at-all')).toBe('off');
  });
});
