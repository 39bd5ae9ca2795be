"use client";

import { useEffect, useState } from "react";
import { relative } from "~/short";

/**
 * A live countdown to `target` (seconds, chain clock). `chainNow` is the chain's latest block time when
 * the server rendered, `serverNow` the server's wall clock then: the browser advances the chain clock
 * by its own elapsed time, so anvil's time travel shows correctly too.
 */
export function Countdown({
  target,
  chainNow,
  serverNow,
}: {
  target: number;
  chainNow: number;
  serverNow: number;
}) {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const tick = () => setNow(Math.floor(Date.now() / 1000));
    tick();
    const t = setInterval(tick, 1000);
    return () => clearInterval(t);
  }, []);
  const current = chainNow + (now - serverNow);
  return (
    <time dateTime={new Date(target * 1000).toISOString()} className="countdown" suppressHydrationWarning>
      {relative(target - current)}
    </time>
  );
}
