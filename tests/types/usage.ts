// What a strict TypeScript app writes: both README usages, the plugins and the factory as
// analytics-next's own types, and every setting with its type (tests/e2e/types.test.mjs).
import { AnalyticsBrowser, Context } from '@segment/analytics-next';
import type { Plugin } from '@segment/analytics-next';
// Not exported from the package's root; the type of `plugins` entries that are factories.
import type { PluginFactory } from '@segment/analytics-next/dist/types/plugins/remote-loader';
import intercomDestination from 'intercom-web-destination';
import type { IntercomDestinationSettings, IntercomPlugin, IntercomSubscription } from 'intercom-web-destination';

// README, "Use it": register the plugins.
const analytics = AnalyticsBrowser.load({ writeKey: 'YOUR_WRITE_KEY' });
analytics.register(...(await intercomDestination({ appId: 'abc12345' })));

// README, "Use it": pass the factory, which analytics-next calls with the remote settings.
AnalyticsBrowser.load({ writeKey: 'YOUR_WRITE_KEY', plugins: [intercomDestination] });

// The same, as analytics-next's types.
const factory: PluginFactory = intercomDestination;
const plugins: IntercomPlugin[] = await intercomDestination({ appId: 'abc12345' });
const asPlugins: Plugin[] = plugins;
const fromFactory: Plugin | Plugin[] = await factory({ appId: 'abc12345' });
void asPlugins;
void fromFactory;

// The plugin's own members.
for (const plugin of plugins) {
  const name: 'Intercom Web (Actions)' = plugin.name;
  const loaded: boolean = plugin.isLoaded();
  await plugin.load({}, { on: () => undefined });
  // A hand-made context comes back as it went in.
  const ctx = await plugin.track({ event: { type: 'track', event: 'Signed Up' }, log() {} });
  const type: string = ctx.event.type;
  // analytics-next's own context comes back as its type.
  const next: Context = await plugin.identify(new Context({ type: 'identify', userId: 'u1' }));
  void [name, loaded, type, next];
}

// Set before the first call.
intercomDestination.wasmUrl = new URL('https://cdn.example/intercom_web_destination_bg.wasm');
intercomDestination.wasmUrl = '/assets/intercom_web_destination_bg.wasm';
intercomDestination.wasmUrl = undefined;
const memory: number = intercomDestination.wasmMemoryBytes();
const pluginName: string = intercomDestination.pluginName;
void [memory, pluginName];

// README, "Settings": every setting (Required: a new setting must be added here).
const subscriptions: IntercomSubscription[] = [
  {
    partnerAction: 'trackEvent', name: 'Orders', enabled: true,
    subscribe: 'type = "track" and event = "Order Completed"',
    mapping: { event_name: { '@template': '{{event}} ({{properties.plan}})' },
               event_metadata: { '@path': '$.properties' },
               revenue: { '@path': '$.properties.total' } },
  },
  { partnerAction: 'identifyUser', subscribe: 'type = "identify" or type = "page"' },
  {
    partnerAction: 'identifyCompany', subscribe: 'type = "group"',
    mapping: { company: { company_id: { '@path': '$.groupId' }, name: { '@path': '$.traits.name' } },
               hide_default_launcher: false },
  },
];
const every: Required<IntercomDestinationSettings> = {
  appId: 'abc12345',
  activator: '#my-launcher',
  richLinkProperties: ['article'],
  apiBase: 'eu',
  subscriptions,
  widgetUrl: 'http://127.0.0.1:8080/widget',
  cspNonce: 'bm9uY2U=',
  loadTimeoutMs: 5000,
  debug: true,
  ensurePing: false,
  rememberIdentity: false,
  updateQuota: false,
  shutdownOnReset: false,
  shutdownOnUserSwitch: false,
  companyFromString: true,
  nestedTraits: 'flatten',
  messengerEvents: { opened: 'Live Chat Opened', unreadCountChanged: false },
};
await intercomDestination(every);
await intercomDestination({ appId: 'abc12345', messengerEvents: true });

// The other accepted forms.
await intercomDestination({
  appId: 'abc12345',
  apiBase: 'https://api-iam.au.intercom.io',
  subscriptions: JSON.stringify(subscriptions),
  updateQuota: 10,
  nestedTraits: 'stringify',
});
// Read-only arrays (`as const`), and undefined for absent settings.
await intercomDestination({
  appId: 'abc12345',
  richLinkProperties: ['article', 'video'] as const,
  subscriptions: [{ partnerAction: 'trackEvent', subscribe: 'type = "track"', mapping: { event_name: { '@path': '$.event' } } }] as const,
  activator: undefined,
});
