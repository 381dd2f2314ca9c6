// Mistakes a strict TypeScript app must be stopped at: each line under `@ts-expect-error` has
// to fail type-checking (an unused `@ts-expect-error` is itself an error), so
// tests/e2e/types.test.mjs fails if the types accept any of them.
import intercomDestination from 'intercom-web-destination';
import type { IntercomDestinationSettings, IntercomPlugin } from 'intercom-web-destination';

// appId missing.
// @ts-expect-error
await intercomDestination({ apiBase: 'eu' });
// @ts-expect-error
await intercomDestination({ appId: 12345678 });
// Not a settings object.
// @ts-expect-error
await intercomDestination('abc12345');
// @ts-expect-error
await intercomDestination();

// A setting that does not exist (a typo).
// @ts-expect-error
await intercomDestination({ appId: 'a', ensurePIng: true });
// @ts-expect-error
await intercomDestination({ appId: 'a', wasmUrl: '/x.wasm' });

// Bad literals.
// @ts-expect-error
await intercomDestination({ appId: 'a', apiBase: 'mars' });
// @ts-expect-error
await intercomDestination({ appId: 'a', apiBase: 'https://api-iam.intercom.com' });
// @ts-expect-error
await intercomDestination({ appId: 'a', nestedTraits: 'flaten' });

// Wrong types.
// @ts-expect-error
await intercomDestination({ appId: 'a', updateQuota: 'lots' });
// @ts-expect-error
await intercomDestination({ appId: 'a', updateQuota: true });
// @ts-expect-error
await intercomDestination({ appId: 'a', shutdownOnReset: 'yes' });
// @ts-expect-error
await intercomDestination({ appId: 'a', shutdownOnUserSwitch: 1 });
// @ts-expect-error
await intercomDestination({ appId: 'a', rememberIdentity: 'false' });
// @ts-expect-error
await intercomDestination({ appId: 'a', companyFromString: 'yes' });
// @ts-expect-error
await intercomDestination({ appId: 'a', debug: 1 });
// @ts-expect-error
await intercomDestination({ appId: 'a', ensurePing: 'true' });
// @ts-expect-error
await intercomDestination({ appId: 'a', loadTimeoutMs: '10' });
// @ts-expect-error
await intercomDestination({ appId: 'a', richLinkProperties: 'a' });
// @ts-expect-error
await intercomDestination({ appId: 'a', richLinkProperties: [1] });
// @ts-expect-error
await intercomDestination({ appId: 'a', activator: 5 });
// @ts-expect-error
await intercomDestination({ appId: 'a', widgetUrl: new URL('https://cdn.example/widget') });
// @ts-expect-error
await intercomDestination({ appId: 'a', cspNonce: 123 });

// Subscriptions.
// @ts-expect-error
await intercomDestination({ appId: 'a', subscriptions: { partnerAction: 'trackEvent', subscribe: 'type = "track"' } });
// @ts-expect-error
await intercomDestination({ appId: 'a', subscriptions: [{ partnerAction: 'trackEvents', subscribe: 'type = "track"' }] });
// @ts-expect-error
await intercomDestination({ appId: 'a', subscriptions: [{ partnerAction: 'trackEvent' }] });
// @ts-expect-error
await intercomDestination({ appId: 'a', subscriptions: [{ partnerAction: 'trackEvent', subscribe: 'type = "track"', enabled: 'yes' }] });
// A field of another action.
// @ts-expect-error
await intercomDestination({ appId: 'a', subscriptions: [{ partnerAction: 'trackEvent', subscribe: 'type = "track"', mapping: { user_id: 'u' } }] });

// A typed settings object: the same checks.
const settings: IntercomDestinationSettings = {
  appId: 'a',
  // @ts-expect-error
  nestedTraits: 'Flatten',
};
void settings;

// The factory's properties.
// @ts-expect-error
intercomDestination.wasmUrl = 42;
// @ts-expect-error
intercomDestination.pluginName = 'Intercom';

// The plugin: an event where the context is expected.
declare const plugin: IntercomPlugin;
// @ts-expect-error
await plugin.track({ type: 'track', event: 'Signed Up' });

// @ts-expect-error: messengerEvents takes booleans or an object of names
await intercomDestination({ appId: 'abc12345', messengerEvents: 'yes' });
// @ts-expect-error: a misspelt Messenger callback
await intercomDestination({ appId: 'abc12345', messengerEvents: { openned: 'Opened' } });

