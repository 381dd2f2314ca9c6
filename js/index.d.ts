// Types of the npm package. Structural on purpose: the package does not depend on
// @segment/analytics-next, yet its plugins are assignable to analytics-next's `Plugin` and the
// factory to its `PluginFactory` (tests/types/usage.ts checks both, under `strict` and
// `exactOptionalPropertyTypes`; tests/e2e/types.test.mjs checks the settings against
// src/settings.rs and the README's settings table).

/**
 * Settings of the Intercom Web (Actions) destination (README, "Settings"). An optional setting
 * that is `undefined` is absent: its default applies.
 */
export interface IntercomDestinationSettings {
  /** Intercom App ID; 1-64 characters of `A-Z a-z 0-9 _ -` (it goes into the script URL). */
  appId: string;
  /** CSS selector of a custom launcher (`custom_launcher_selector`); default `#IntercomDefaultWidget`. */
  activator?: string | undefined;
  /** Intercom's regional API: one of the three URLs, or `us` / `eu` / `au`; default US. */
  apiBase?: IntercomApiBase | undefined;
  /** Track-property keys whose object values are Intercom rich links `{url, value}`; default none. */
  richLinkProperties?: readonly string[] | undefined;
  /** Segment subscriptions, as an array or a JSON string; absent means the three presets. */
  subscriptions?: readonly IntercomSubscription[] | string | undefined;
  /** Base URL of the widget script: `https:`, or `http:` on localhost / 127.x / [::1]; default `https://widget.intercom.io/widget`. */
  widgetUrl?: string | undefined;
  /** Nonce for the widget `<script>` (base64, at most 256 characters), for a strict Content-Security-Policy. */
  cspNonce?: string | undefined;
  /** How long `load` waits for the widget before rejecting, in ms (1-600000); default 10000. */
  loadTimeoutMs?: number | undefined;
  /** Also print every warning on the console; default false. */
  debug?: boolean | undefined;
  /** Add `last_request_at` to identity-only updates, which Intercom otherwise ignores; default true. */
  ensurePing?: boolean | undefined;
  /** Carry the user's `user_hash` / `intercom_user_jwt` into later updates for the same user; default true. */
  rememberIdentity?: boolean | undefined;
  /** Intercom's `update` quota per 30 minutes (a whole number, 0-1000); `false` (or 0) sends every update; default 20. */
  updateQuota?: number | false | undefined;
  /** On analytics.js `reset`: `Intercom('shutdown')`, then boot as an anonymous visitor; default true. */
  shutdownOnReset?: boolean | undefined;
  /** An identify with a different `user_id` shuts down and boots as the new user; default true. */
  shutdownOnUserSwitch?: boolean | undefined;
  /** `traits.company: "Acme"` is sent as `company: {company_id: "Acme"}` (else dropped with a warning); default false. */
  companyFromString?: boolean | undefined;
  /** Nested custom traits: `drop` (with a warning, as Segment), `flatten` (`address_city`) or `stringify` (JSON text); default `drop`. */
  nestedTraits?: 'drop' | 'flatten' | 'stringify' | undefined;
  /** The Messenger's own events as analytics.js `track` events for the other destinations (never Intercom): `true` for the default names, or a name (or `false`) per callback; default off. */
  messengerEvents?: boolean | IntercomMessengerEventNames | undefined;
}

/**
 * Intercom's regional API hosts (US, EU, Australia) and their short names. (The plugin also
 * accepts them in any case, with trailing slashes; these are the canonical forms.)
 */
/**
 * The analytics.js event each Messenger callback becomes (`false`: none); an absent one keeps
 * its default: `Intercom Messenger Opened`, `Intercom Messenger Closed`, `Intercom Unread Count
 * Changed` (`{unread_count}`), `Intercom Email Supplied` (never with the email).
 */
export interface IntercomMessengerEventNames {
  opened?: string | false | undefined;
  closed?: string | false | undefined;
  unreadCountChanged?: string | false | undefined;
  emailSupplied?: string | false | undefined;
}

export type IntercomApiBase =
  | 'https://api-iam.intercom.io'
  | 'https://api-iam.eu.intercom.io'
  | 'https://api-iam.au.intercom.io'
  | 'us'
  | 'eu'
  | 'au';

/** A Segment subscription: which action runs on which events, with which mapping. */
export type IntercomSubscription = TrackEventSubscription | IdentifyUserSubscription | IdentifyCompanySubscription;

/** What every subscription has, whatever its action. */
export interface SubscriptionFields {
  /** The trigger, in Segment's trigger language, e.g. `type = "track" and event = "Order Completed"`. */
  subscribe: string;
  /** Its name in warnings; default the action's preset name. */
  name?: string | undefined;
  /** `false` leaves the subscription out; default true. */
  enabled?: boolean | undefined;
}

/** Track Event: `Intercom('trackEvent', event_name, metadata)`. */
export interface TrackEventSubscription extends SubscriptionFields {
  partnerAction: 'trackEvent';
  /** The fields to set; absent means the action's default mapping. */
  mapping?: ActionMapping<'event_name' | 'revenue' | 'currency' | 'event_metadata'> | undefined;
}

/** Identify User: `Intercom('update', {user_id, email, ...})`. */
export interface IdentifyUserSubscription extends SubscriptionFields {
  partnerAction: 'identifyUser';
  /** The fields to set; absent means the action's default mapping. */
  mapping?:
    | ActionMapping<
        | 'user_id'
        | 'custom_traits'
        | 'name'
        | 'phone'
        | 'unsubscribed_from_emails'
        | 'language_override'
        | 'email'
        | 'created_at'
        | 'avatar_image_url'
        | 'user_hash'
        | 'intercom_user_jwt'
        | 'company'
        | 'companies'
        | 'hide_default_launcher'
      >
    | undefined;
}

/** Identify Company: `Intercom('update', {company: {...}})`. */
export interface IdentifyCompanySubscription extends SubscriptionFields {
  partnerAction: 'identifyCompany';
  /** The fields to set; absent means the action's default mapping. */
  mapping?: ActionMapping<'company' | 'hide_default_launcher' | 'company_custom_traits'> | undefined;
}

/** An action's mapping: only the fields it lists are set. */
export type ActionMapping<Field extends string> = { readonly [F in Field]?: MappingValue };

/**
 * A field's mapping: a JSON value, where an object with a directive key (`@path`, `@template`,
 * `@if`, `@literal`, ...) is resolved against the event.
 */
export type MappingValue =
  | string
  | number
  | boolean
  | null
  | readonly MappingValue[]
  | { readonly [key: string]: MappingValue };

/** The analytics.js context (analytics-next's `Context`) as the plugin reads it. */
export interface AnalyticsContext {
  /** The event; the plugin reads only the parts its subscriptions map. */
  readonly event: object;
  /** Where the plugin notes warnings and debug notes (analytics-next's `ctx.log`). */
  log?(level: 'warn' | 'debug', message: string): void;
}

/** The analytics.js instance (analytics-next's `Analytics`) as the plugin uses it. */
export interface AnalyticsInstance {
  /**
   * The plugin listens for `dispatch_start` (the session each event was created in) and for
   * `reset` (the end of a session, and the `shutdownOnReset` rule).
   */
  on(event: 'dispatch_start', callback: (ctx: AnalyticsContext) => void): unknown;
  on(event: 'reset', callback: () => void): unknown;
}

/**
 * The destination's analytics.js plugin. Its properties are function-typed, as in
 * analytics-next's `Plugin`, so parameters are checked strictly. Each event method resolves
 * with the context it was given and never rejects (problems become warnings on the context).
 */
export interface IntercomPlugin {
  name: 'Intercom Web (Actions)';
  type: 'destination';
  version: string;
  /** Lets per-event `integrations` switches on the destination's name reach the plugin. */
  alternativeNames: string[];
  isLoaded: () => boolean;
  /** Starts the Messenger as Intercom's snippet does; resolves at once and never rejects. */
  load: (ctx: unknown, analytics?: AnalyticsInstance) => Promise<void>;
  ready: () => Promise<boolean>;
  track: <Ctx extends AnalyticsContext>(ctx: Ctx) => Promise<Ctx>;
  identify: <Ctx extends AnalyticsContext>(ctx: Ctx) => Promise<Ctx>;
  page: <Ctx extends AnalyticsContext>(ctx: Ctx) => Promise<Ctx>;
  group: <Ctx extends AnalyticsContext>(ctx: Ctx) => Promise<Ctx>;
  alias: <Ctx extends AnalyticsContext>(ctx: Ctx) => Promise<Ctx>;
  screen: <Ctx extends AnalyticsContext>(ctx: Ctx) => Promise<Ctx>;
}

/**
 * Builds the destination's plugin, in an array. The settings are read when it is called (while
 * the WebAssembly module loads). It never rejects: invalid settings, or a `.wasm` that cannot
 * be loaded, give an error on the console and no plugin, so that the page and every other
 * destination go on.
 */
declare function intercomDestination(settings: IntercomDestinationSettings): Promise<IntercomPlugin[]>;
/**
 * Not callable directly (`this: never`): the signature analytics-next's `PluginFactory` type
 * asks for, which passes any JSON value (the remote plugin's settings, validated at run time
 * like any others). It makes the factory assignable to `PluginFactory` while a direct call is
 * checked against the settings above.
 */
declare function intercomDestination(this: never, settings: unknown): Promise<IntercomPlugin[]>;
declare namespace intercomDestination {
  /** analytics-next matches a factory passed in `plugins` to the remote plugin of this name. */
  const pluginName: 'Intercom Web (Actions)';
  /**
   * Where the `.wasm` is fetched from; set it before the first call. Default: the
   * `intercom_web_destination_bg.wasm` next to the package's `index.js`.
   */
  let wasmUrl: string | URL | undefined;
  /** Size of the WebAssembly linear memory in bytes (0 before the first factory call). */
  function wasmMemoryBytes(): number;
}
export default intercomDestination;
export { intercomDestination };
