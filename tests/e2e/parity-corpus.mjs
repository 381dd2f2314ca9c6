// The parity corpus: analytics.js calls run through Segment's Intercom plugin and through ours
// (tests/e2e/parity.test.mjs), each inside analytics-next, with the same settings.
//
// An entry is one or more calls `[method, ...arguments]` made on the analytics instance; the
// Intercom calls they produce are compared. Before each entry the page calls
// `analytics.reset()`, so entries do not share a user. `patch` changes the event after
// analytics-next built it (an enrichment plugin does it, for both plugins alike), for shapes
// analytics.js itself never produces but a custom plugin or middleware can: a number userId (an
// identify's userId is always a string, even with a `userId` option), a missing, empty or
// number event name.
//
// The odd shapes come from ../shared/reference/intercom-actions.md ("Where the reference goes
// wrong") and the README's "How it differs from Segment's plugin".

/** Settings every profile shares: our session rules off, so only the per-call rules are compared. */
export const SESSION_RULES_OFF = {
  ensurePing: false,
  rememberIdentity: false,
  updateQuota: false,
  shutdownOnReset: false,
  shutdownOnUserSwitch: false,
};

/** analytics.js calls valid for any settings: the three presets' triggers, and odd values. */
const MAIN = [
  // identify: standard traits
  { id: 'identify-basic', calls: [['identify', 'u1', { email: 'ada@example.com', name: 'Ada Lovelace' }]] },
  {
    id: 'identify-all-standard-traits',
    calls: [['identify', 'u2', { email: 'b@example.com', name: 'Bea', phone: '+1 555 0100', createdAt: '2021-03-04T05:06:07Z', avatar: 'https://example.com/a.png' }]],
  },
  { id: 'identify-no-traits', calls: [['identify', 'u3']] },
  { id: 'identify-anonymous-email-only', calls: [['identify', { email: 'anon@example.com' }]] },
  { id: 'identify-unmapped-nested-traits', calls: [['identify', 'u4', { plan: 'pro', address: { city: 'Oslo' }, tags: ['a', 'b'] }]] },
  { id: 'identify-name-null', calls: [['identify', 'u5', { name: null, email: 'n@example.com' }]] },
  // Empty values: "", white space and false are no values (one rule for every standard attribute).
  { id: 'identify-empty-strings', calls: [['identify', 'u5e', { email: '', name: '  ', phone: '' }]] },
  { id: 'identify-false-values', calls: [['identify', 'u5f', { email: false, name: 'F', phone: false, avatar: false }]] },
  { id: 'identify-phone-number', calls: [['identify', 'u6', { phone: 5550100 }]] },
  { id: 'identify-first-last-name', calls: [['identify', 'u7', { firstName: 'Grace', lastName: 'Hopper' }]] },
  { id: 'identify-number-user-id', calls: [['identify', 'u8', { email: 'num@example.com' }]], patch: { set: { userId: 42 } } },
  // identify: created_at
  { id: 'created-at-seconds', calls: [['identify', 'u10', { created_at: 1614834367 }]] },
  { id: 'created-at-milliseconds', calls: [['identify', 'u11', { createdAt: 1614834367123 }]] },
  { id: 'created-at-iso-utc', calls: [['identify', 'u12', { createdAt: '2021-03-04T05:06:07.123Z' }]] },
  { id: 'created-at-iso-offset', calls: [['identify', 'u13', { createdAt: '2021-03-04T06:06:07+01:00' }]] },
  { id: 'created-at-camel-wins', calls: [['identify', 'u14', { createdAt: '2021-03-04T05:06:07Z', created_at: 1 }]] },
  { id: 'created-at-numeric-string', calls: [['identify', 'u15', { createdAt: '1614834367' }]] },
  { id: 'created-at-date-only', calls: [['identify', 'u16', { createdAt: '2021-03-04' }]] },
  { id: 'created-at-no-offset', calls: [['identify', 'u17', { created_at: '2021-03-04T05:06:07' }]] },
  { id: 'created-at-not-a-date', calls: [['identify', 'u18', { createdAt: 'not a date' }]] },
  { id: 'created-at-empty-string', calls: [['identify', 'u19', { createdAt: '', email: 'e@example.com' }]] },
  // identify: company / companies
  {
    id: 'company-full',
    calls: [['identify', 'u20', { company: { id: 'c1', name: 'Acme', plan: 'pro', monthly_spend: 99.5, size: 20, website: 'https://acme.test', industry: 'Tools', createdAt: '2020-01-01T00:00:00Z' } }]],
  },
  { id: 'company-null', calls: [['identify', 'u21', { company: null }]] },
  { id: 'company-false', calls: [['identify', 'u22', { company: false }]] },
  { id: 'company-string', calls: [['identify', 'u23', { company: 'Acme' }]] },
  { id: 'company-without-id', calls: [['identify', 'u24', { company: { name: 'No Id Inc', plan: 'free' } }]] },
  { id: 'company-numeric-string-date', calls: [['identify', 'u25', { company: { id: 'c2', created_at: '1614834367' } }]] },
  { id: 'companies-valid', calls: [['identify', 'u26', { companies: [{ id: 'c1', name: 'A' }, { id: 'c2', created_at: 1614834367 }] }]] },
  { id: 'companies-mixed-items', calls: [['identify', 'u27', { companies: ['str', null, { id: 'c3', name: 'C' }] }]] },
  { id: 'companies-single-object', calls: [['identify', 'u28', { companies: { id: 'c4', name: 'Solo' } }]] },
  { id: 'companies-number-id', calls: [['identify', 'u29', { companies: [{ id: 7, size: 3 }] }]] },
  // identify: identity verification and widget options
  { id: 'user-hash-context', calls: [['identify', 'u30', {}, { context: { Intercom: { user_hash: 'hash-ctx' } } }]] },
  { id: 'user-hash-context-camel', calls: [['identify', 'u31', {}, { context: { Intercom: { userHash: 'hash-ctx-camel' } } }]] },
  { id: 'user-hash-integrations', calls: [['identify', 'u32', {}, { integrations: { Intercom: { user_hash: 'hash-int' } } }]] },
  { id: 'user-hash-integrations-camel', calls: [['identify', 'u33', {}, { integrations: { Intercom: { userHash: 'hash-int-camel' } } }]] },
  { id: 'integrations-intercom-false', calls: [['identify', 'u34', { email: 'f@example.com' }, { integrations: { Intercom: false } }]] },
  { id: 'context-intercom-false', calls: [['identify', 'u35', { email: 'g@example.com' }, { context: { Intercom: false } }]] },
  { id: 'user-hash-number', calls: [['identify', 'u36', {}, { context: { Intercom: { user_hash: 12345 } } }]] },
  { id: 'intercom-user-jwt', calls: [['identify', 'u37', {}, { integrations: { Intercom: { intercom_user_jwt: 'jwt-1' } } }]] },
  { id: 'hide-default-launcher', calls: [['identify', 'u38', {}, { context: { Intercom: { hideDefaultLauncher: true } } }]] },
  { id: 'hide-default-launcher-string', calls: [['identify', 'u39', {}, { context: { Intercom: { hide_default_launcher: 'yes' } } }]] },
  // page
  { id: 'page-anonymous', calls: [['page']] },
  { id: 'page-after-identify', calls: [['identify', 'u40', { email: 'p@example.com' }], ['page', 'Pricing']] },
  { id: 'page-category-name-properties', calls: [['page', 'Docs', 'Install', { path: '/docs/install', name: 'property name' }]] },
  { id: 'page-hide-launcher-false', calls: [['page', 'Home', {}, { context: { Intercom: { hideDefaultLauncher: false } } }]] },
  { id: 'page-user-hash-integrations', calls: [['identify', 'u41'], ['page', {}, { integrations: { Intercom: { user_hash: 'hash-page' } } }]] },
  // group
  {
    id: 'group-full',
    calls: [['group', 'g1', { name: 'Acme', plan: 'pro', size: 20, monthly_spend: 99.5, website: 'https://acme.test', industry: 'Tools', createdAt: '2020-01-01T00:00:00Z' }]],
  },
  { id: 'group-no-traits', calls: [['group', 'g2']] },
  { id: 'group-numeric-string-date', calls: [['group', 'g3', { created_at: '1614834367' }]] },
  { id: 'group-not-a-date', calls: [['group', 'g4', { createdAt: 'garbage' }]] },
  { id: 'group-numeric-strings', calls: [['group', 'g5', { size: '50', monthly_spend: '12.5' }]] },
  { id: 'group-name-null', calls: [['group', 'g6', { name: null, plan: 'free' }]] },
  { id: 'group-unmapped-traits', calls: [['group', 'g7', { name: 'Seven', employees: 7, address: { city: 'Oslo' } }]] },
  { id: 'group-first-last-name', calls: [['group', 'g8', { firstName: 'Gee', lastName: 'Eight' }]] },
  { id: 'group-hide-launcher', calls: [['group', 'g9', {}, { context: { Intercom: { hideDefaultLauncher: true } } }]] },
  { id: 'group-created-at-milliseconds', calls: [['group', 'g10', { createdAt: 1577836800000 }]] },
  { id: 'group-name-number', calls: [['group', 'g11', { name: 42 }]] },
  // track
  { id: 'revenue-float', calls: [['track', 'Order Completed', { revenue: 19.99, currency: 'EUR', coupon: 'X' }]] },
  { id: 'revenue-integer', calls: [['track', 'Order Completed', { revenue: 10 }]] },
  { id: 'revenue-0.29', calls: [['track', 'Tip', { revenue: 0.29 }]] },
  { id: 'revenue-1.005', calls: [['track', 'Tip', { revenue: 1.005 }]] },
  { id: 'revenue-large-float', calls: [['track', 'Invoice Paid', { revenue: 1234567.891 }]] },
  { id: 'revenue-numeric-string', calls: [['track', 'Order Completed', { revenue: '12.50', currency: 'GBP' }]] },
  { id: 'revenue-exponent-string', calls: [['track', 'Order Completed', { revenue: '1e3' }]] },
  { id: 'revenue-not-a-number', calls: [['track', 'Order Completed', { revenue: 'abc', currency: 'EUR' }]] },
  { id: 'revenue-true', calls: [['track', 'Order Completed', { revenue: true }]] },
  { id: 'revenue-zero', calls: [['track', 'Refund', { revenue: 0, currency: 'USD' }]] },
  { id: 'revenue-negative', calls: [['track', 'Refund', { revenue: -5.5 }]] },
  { id: 'revenue-currency-null', calls: [['track', 'Order Completed', { revenue: 99, currency: null }]] },
  { id: 'currency-without-revenue', calls: [['track', 'Currency Only', { currency: 'EUR' }]] },
  { id: 'price-property-and-revenue', calls: [['track', 'Price Clash', { price: 5, revenue: 2 }]] },
  { id: 'flat-properties', calls: [['track', 'Signed Up', { plan: 'pro', trial: true, seats: 3, note: null }]] },
  { id: 'nested-properties', calls: [['track', 'Nested', { items: [{ sku: 1 }], address: { city: 'Oslo' }, ok: 'yes' }]] },
  {
    id: 'more-than-10-properties',
    calls: [['track', 'Big', Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i + 1}`, i + 1]))]],
  },
  { id: 'rich-link', calls: [['track', 'Article Viewed', { article: { url: 'https://example.com/a', value: 'A' }, section: 'docs' }]] },
  { id: 'rich-link-key-string', calls: [['track', 'Article Viewed', { article: 'plain string' }]] },
  { id: 'no-properties', calls: [['track', 'No Props']] },
  { id: 'event-name-missing', calls: [['track', 'placeholder', { a: 1 }]], patch: { unset: ['event'] } },
  { id: 'event-name-empty', calls: [['track', 'placeholder', { a: 1 }]], patch: { set: { event: '' } } },
  { id: 'event-name-number', calls: [['track', 'placeholder', { a: 1 }]], patch: { set: { event: 42 } } },
  // alias: no subscription
  { id: 'alias', calls: [['alias', 'new-id']] },
];

/** Custom subscriptions (the same for both plugins) and a custom launcher. */
const CUSTOM_SUBSCRIPTIONS = [
  {
    partnerAction: 'trackEvent', name: 'Orders', enabled: true,
    subscribe: 'type = "track" and event = "Order Completed"',
    mapping: {
      event_name: { '@template': '{{event}} ({{properties.plan}})' },
      event_metadata: { '@path': '$.properties' },
      revenue: { '@path': '$.properties.total' },
      currency: { '@path': '$.properties.currency' },
    },
  },
  {
    partnerAction: 'identifyUser', name: 'Users with custom traits', enabled: true,
    subscribe: 'type = "identify"',
    mapping: {
      user_id: { '@path': '$.userId' },
      email: { '@path': '$.traits.email' },
      created_at: { '@path': '$.traits.created_at' },
      unsubscribed_from_emails: { '@path': '$.traits.unsubscribed' },
      language_override: { '@path': '$.traits.language' },
      custom_traits: { '@path': '$.traits' },
    },
  },
  {
    partnerAction: 'identifyCompany', name: 'Companies with custom traits', enabled: true,
    subscribe: 'type = "group"',
    mapping: {
      company: {
        company_id: { '@path': '$.groupId' },
        name: { '@path': '$.traits.name' },
        company_custom_traits: { '@path': '$.traits' },
      },
    },
  },
  // A disabled subscription: no plugin, no calls.
  { partnerAction: 'trackEvent', name: 'Disabled', enabled: false, subscribe: 'type = "track"', mapping: { event_name: { '@path': '$.event' } } },
];

const CUSTOM = [
  { id: 'custom-order', calls: [['track', 'Order Completed', { plan: 'pro', total: 42.5, currency: 'EUR', sku: 'A1' }]] },
  { id: 'custom-order-float-total', calls: [['track', 'Order Completed', { plan: 'basic', total: 19.99 }]] },
  { id: 'custom-other-event', calls: [['track', 'Other Event', { plan: 'pro' }]] },
  {
    id: 'custom-traits',
    calls: [['identify', 'cu1', { email: 'c@example.com', plan: 'pro', logins: 5, address: { city: 'Oslo' }, unsubscribed: true, language: 'fr' }]],
  },
  { id: 'custom-trait-created-at-string', calls: [['identify', 'cu2', { email: 'd@example.com', created_at: '2021-03-04T05:06:07Z' }]] },
  { id: 'custom-trait-created-at-number', calls: [['identify', 'cu3', { created_at: 1614834367 }]] },
  { id: 'custom-trait-user-id', calls: [['identify', 'cu4', { email: 'e@example.com', user_id: 'someone-else' }]] },
  { id: 'custom-company-traits', calls: [['group', 'cg1', { name: 'Acme', tier: 'gold', seats: 30, nested: { a: 1 } }]] },
  { id: 'custom-company-trait-company-id', calls: [['group', 'cg2', { name: 'Beta', company_id: 'spoof' }]] },
  { id: 'custom-page', calls: [['page', 'Home']] },
];

/** Only the App ID (plus the session rules off): Segment's defaults vs ours. */
const APP_ID_ONLY = [
  { id: 'app-id-only-identify', calls: [['identify', 'o1', { email: 'o@example.com' }]] },
  { id: 'app-id-only-group', calls: [['group', 'og1', { name: 'Only' }]] },
  { id: 'app-id-only-track', calls: [['track', 'Clicked', { button: 'buy' }]] },
];

/**
 * Settings profiles. `subscriptions`:
 * - 'presets': Segment's plugin gets its preset subscriptions (what Segment's app saves for a new
 *   destination), ours gets none (its own presets): each plugin's presets, as the README compares.
 * - 'segment-presets': both get Segment's preset subscriptions verbatim (moving an existing
 *   Segment destination over: analytics-next hands the saved settings to our factory).
 * - an array: both get it.
 */
export const PROFILES = [
  {
    id: 'presets',
    settings: { appId: 'par1ty', activator: '#IntercomDefaultWidget', apiBase: 'https://api-iam.eu.intercom.io', richLinkProperties: ['article'] },
    subscriptions: 'presets',
    entries: MAIN,
  },
  {
    id: 'segment-presets',
    settings: { appId: 'par1ty', activator: '#IntercomDefaultWidget', apiBase: 'https://api-iam.eu.intercom.io', richLinkProperties: ['article'] },
    subscriptions: 'segment-presets',
    entries: MAIN,
  },
  {
    id: 'custom',
    settings: { appId: 'par1ty', activator: '#help-button', apiBase: 'https://api-iam.au.intercom.io' },
    subscriptions: CUSTOM_SUBSCRIPTIONS,
    entries: CUSTOM,
  },
  {
    id: 'app-id-only',
    settings: { appId: 'par1ty' },
    subscriptions: 'presets',
    entries: APP_ID_ONLY,
  },
];
