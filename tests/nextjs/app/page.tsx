// The README's second way, in a strict TypeScript client component: the factory passed in
// `plugins` (typed as analytics-next's PluginFactory, no cast) and matched to the remote plugin
// that the CDN settings name. tests/nextjs/nextjs.test.mjs checks the Intercom calls it makes.
'use client';

import { useEffect } from 'react';
import { AnalyticsBrowser } from '@segment/analytics-next';
import intercomDestination from 'intercom-web-destination';

declare global {
  interface Window {
    appDone?: string[];
  }
}

async function main(): Promise<void> {
  const name = intercomDestination.pluginName;
  const settings = { appId: 'next0001', widgetUrl: `${location.origin}/widget` };
  const [analytics] = await AnalyticsBrowser.load(
    {
      writeKey: 'next',
      cdnSettings: {
        integrations: { 'Segment.io': { apiKey: 'next' } }, // switched off below
        metrics: { sampleRate: 0 },
        remotePlugins: [{ name, creationName: name, libraryName: 'intercomDestination', url: `${location.origin}/not-served.js`, settings }],
      },
      plugins: [intercomDestination],
    },
    { integrations: { 'Segment.io': false } },
  );
  await analytics.identify('u1', { email: 'u1@example.com', name: 'Ada' });
  await analytics.track('Order Completed', { revenue: 19.99, coupon: 'X' });
  await analytics.group('g1', { name: 'Acme' });
  window.appDone = analytics.queue.plugins.filter((p) => p.type === 'destination').map((p) => p.name);
}

export default function Home() {
  useEffect(() => {
    main().catch((e: unknown) => console.error(`the app failed: ${e instanceof Error ? e.message : String(e)}`));
  }, []);
  return <main>Next.js app router with intercom-web-destination</main>;
}
