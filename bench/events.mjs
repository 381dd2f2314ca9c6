// The benchmark's analytics.js events, one generator per call type (`i`: the event's number),
// and the cases of the own-path measure (label, call type, Segment's action that handles it).
// A browser module: bench/run.mjs, bench/own-ab.mjs and bench/profile.mjs import it into the
// page (`await import('/bench/events.mjs')`, served by their mount of bench/), so every
// measurement times the same events.
export const events = {
  track: (i) => ({ type: 'track', event: 'Order Completed', userId: 'u1', anonymousId: 'a1', messageId: 'm' + i,
    timestamp: '2023-11-14T22:13:20.000Z',
    properties: { revenue: 19.99, currency: 'EUR', order_id: 'o' + i, coupon: 'X', items: 3, total: 25.5 },
    context: { page: { path: '/checkout', url: 'https://shop.example/checkout' } }, integrations: {} }),
  identify: (i) => ({ type: 'identify', userId: 'u' + (i % 50), anonymousId: 'a1', messageId: 'm' + i,
    timestamp: '2023-11-14T22:13:20.000Z',
    traits: { email: 'user' + (i % 50) + '@example.com', name: 'User ' + i, phone: '+1 555 0100',
      createdAt: '2021-03-04T05:06:07Z', avatar: 'https://img.example/a.png',
      company: { id: 'c' + (i % 7), name: 'Company', plan: 'pro', size: 12, created_at: 1614834367 } },
    context: { page: { path: '/' } }, integrations: { Intercom: { user_hash: 'h' + (i % 50) } } }),
  page: (i) => ({ type: 'page', userId: 'u1', anonymousId: 'a1', messageId: 'm' + i, name: 'Home',
    timestamp: '2023-11-14T22:13:20.000Z', properties: { path: '/', url: 'https://shop.example/', title: 'Home' },
    context: { page: { path: '/' } }, integrations: {} }),
  group: (i) => ({ type: 'group', groupId: 'g' + (i % 20), userId: 'u1', anonymousId: 'a1', messageId: 'm' + i,
    timestamp: '2023-11-14T22:13:20.000Z',
    traits: { name: 'Acme', plan: 'enterprise', size: 250, website: 'https://acme.example', industry: 'Anvils',
      monthly_spend: 1000, createdAt: '2021-03-04T05:06:07Z' }, integrations: {} }),
};
export const cases = [
  ['trackEvent', 'track', 'trackEvent'],
  ['identifyUser (identify)', 'identify', 'identifyUser'],
  ['identifyUser (page)', 'page', 'identifyUser'],
  ['identifyCompany', 'group', 'identifyCompany'],
];
