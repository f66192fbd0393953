// Counts down to an ISO instant in the browser (one timer, no server round-trips while it ticks).
// It counts by the server's clock: serverNow is the server's time when the target was sent, so a phone
// whose clock runs minutes ahead or behind still reaches zero when booking really opens.
// At zero it calls onDone so the page asks the server again; the server decides whether booking is open.
// If the server still says "not yet" (the opening was moved), it asks again every few seconds, a few times.
import { useEffect, useState } from "react";

const RETRY_MS = 3000;
const RETRIES = 5;
// Server time minus this browser's time, measured when each serverNow is first shown: a countdown mounted
// again later with the same props keeps that offset (its serverNow is older by then).
const offsets = new Map();

function offsetMs(serverNow) {
  if (!offsets.has(serverNow)) {
    const at = Date.parse(serverNow);
    offsets.set(serverNow, Number.isNaN(at) ? 0 : at - Date.now());
  }
  return offsets.get(serverNow);
}

function remainingMs(target, serverNow) {
  const at = Date.parse(target);
  return Number.isNaN(at) ? 0 : Math.max(0, at - (Date.now() + offsetMs(serverNow)));
}

function pad(n) {
  return String(n).padStart(2, "0");
}

function describe(ms, dayWord, daysWord) {
  const total = Math.ceil(ms / 1000);
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const clock = `${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
  return days > 0 ? `${days} ${days === 1 ? dayWord : daysWord} ${clock}` : clock;
}

export function Countdown({ target, serverNow, dayWord, daysWord, onDone, ...rest }) {
  const [left, setLeft] = useState(() => remainingMs(target, serverNow));
  useEffect(() => {
    let retries = 0;
    let fired = false;
    let timer = null;
    const tick = () => {
      const ms = remainingMs(target, serverNow);
      setLeft(ms);
      if (ms > 0) {
        timer = setTimeout(tick, ms % 1000 || 1000);
        return;
      }
      if (!fired || retries < RETRIES) {
        retries += fired ? 1 : 0;
        fired = true;
        if (onDone) {
          onDone();
        }
        timer = setTimeout(tick, RETRY_MS);
      }
    };
    tick();
    return () => clearTimeout(timer);
    // onDone is a new function on every render; a new target or server time restarts the timer
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [target, serverNow]);
  return (
    <time dateTime={target} data-remaining-seconds={Math.ceil(left / 1000)} {...rest}>
      {describe(left, dayWord, daysWord)}
    </time>
  );
}
