/** Settings of the Intercom Web (Actions) destination. */
export interface IntercomDestinationSettings {
  /** Intercom workspace (App) ID: 1-64 characters of A-Z, a-z, 0-9, _ or -. */
  appId: string;
  /** CSS selector of a custom launcher; default `#IntercomDefaultWidget`. */
  activator?: string;
  /** Track-property keys whose object values are Intercom rich links `{url, value}`. */
  richLinkProperties?: string[];
  /** Regional API: a full `https://api-iam...intercom.io` URL or `us`, `eu`, `au`. */
  apiBase?: string;
  /** Segment subscriptions (array or JSON string); absent means the three presets. */
  subscriptions?: unknown[] | string;
  /** Base URL of the widget script (https, or http on a loopback host). */
  widgetUrl?: string;
  /** Nonce copied to the widget script tag, for strict Content-Security-Policy. */
  cspNonce?: string;
  /** How long `load` waits for the widget; default 10000. */
  loadTimeoutMs?: number;
  /** Also log warnings to the console. */
  debug?: boolean;
  /** Add `last_request_at` to identity-only updates so Intercom counts them; default true. */
  ensurePing?: boolean;
  [key: string]: unknown;
}

/** An analytics.js (analytics-next) destination plugin. */
export interface IntercomPlugin {
  name: string;
  type: 'destination';
  version: string;
  isLoaded(): boolean;
  load(ctx: unknown, analytics: unknown): Promise<unknown>;
  ready?(): Promise<unknown>;
  track?(ctx: unknown): Promise<unknown>;
  identify?(ctx: unknown): Promise<unknown>;
  page?(ctx: unknown): Promise<unknown>;
  group?(ctx: unknown): Promise<unknown>;
  alias?(ctx: unknown): Promise<unknown>;
}

/**
 * Builds the destination's plugins: one per action with an enabled subscription. The settings
 * are read when it is called (while the WebAssembly module loads).
 */
declare function intercomDestination(settings: IntercomDestinationSettings): Promise<IntercomPlugin[]>;
declare namespace intercomDestination {
  const pluginName: 'Intercom Web (Actions)';
  /** Size of the WebAssembly linear memory in bytes (0 before the first factory call). */
  function wasmMemoryBytes(): number;
}
export default intercomDestination;
export { intercomDestination };
