/**
 * Naming from a cluster's centre: the first rule that holds names it, and its conditions are the
 * evidence. Here the writing rules: writing is buying only where pages look like a checkout.
 */
import { DEFAULTS } from '../../../lib/core/config';
import { nameCluster } from '../../../lib/core/personas/name-personas';

/** A human, shallow, irregular session profile, with `over` on top. */
function centre(over: Record<string, number>) {
  const centroid = {
    pages: 5, unique_endpoints: 4, think_median_s: 20, think_cv: 1.1, requests_per_minute: 2,
    write_ratio: 0, checkout_share: 0, api_share: 0, asset_ratio: 0.4, machine_ua: 0, ...over,
  };
  return { center: [], centroid };
}

const name = (over: Record<string, number>) => nameCluster(centre(over), DEFAULTS.personas.naming);

describe('nameCluster: writes and checkouts', () => {
  test('writes at checkout-like endpoints are buying, with both as evidence', () => {
    const n = name({ write_ratio: 0.3, checkout_share: 0.4 });
    expect(n.name).toBe('buyer');
    expect(n.evidence.map((e) => [e.feature, e.condition])).toEqual([['write_ratio', '>= 0.1'], ['checkout_share', '>= 0.15']]);
  });

  test('checkout pages alone are buying', () => {
    expect(name({ write_ratio: 0.02, checkout_share: 0.2 }).evidence.map((e) => e.feature)).toEqual(['checkout_share']);
  });

  test('writes with a few checkout pages (a long browse before paying) are buying', () => {
    const n = name({ write_ratio: 0.15, checkout_share: 0.05 });
    expect(n.name).toBe('buyer');
    expect(n.evidence.map((e) => [e.feature, e.condition])).toEqual([['write_ratio', '>= 0.1'], ['checkout_share', '>= 0.02']]);
  });

  test('writes without any checkout (sending mail, posting) are writing, not buying', () => {
    const n = name({ write_ratio: 0.11, checkout_share: 0 });
    expect(n.name).toBe('writer');
    expect(n.rule).toBe('writer: writes without checkout-like endpoints');
    expect(n.evidence.map((e) => e.says)).toEqual(['11% of pages are writes (POST/PUT/PATCH/DELETE)', '0% of pages are cart/checkout/order/payment endpoints']);
  });

  test('few writes and no checkout: depth decides', () => {
    expect(name({ write_ratio: 0.05 }).name).toBe('casual_browser');
    expect(name({ write_ratio: 0.05, pages: 30 }).name).toBe('power_user');
  });
});
