// Countdowns follow the server's clock: in the sandbox that clock can be moved (POST /_sandbox/clock).
import { useEffect, useState } from 'preact/hooks';
import { siteConfig } from '../common/config.ts';

let offsetMs = 0;

export async function syncServerClock(): Promise<void> {
  const { clockUrl } = await siteConfig();
  if (!clockUrl) return;
  try {
    const response = await fetch(clockUrl, { cache: 'no-store' });
    if (response.ok)
      offsetMs = new Date(((await response.json()) as { now: string }).now).getTime() - Date.now();
  } catch {
    // Keep the browser's time.
  }
}

/** The server's now, re-rendering every 30 seconds. */
export function useServerNow(): number {
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() + offsetMs), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
