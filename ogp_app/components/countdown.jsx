// Counts down to an ISO instant in the browser (one timer, no server round-trips while it ticks).
// At zero it calls onDone so the page asks the server again; the server decides whether booking is open.
// If the server still says "not yet" (a clock running ahead), it asks again every few seconds, a few times.
import { useEffect, useState } from "react";

const RETRY_MS = 3000;
const RETRIES = 5;

function remainingMs(target) {
  const at = Date.parse(target);
  return Number.isNaN(at) ? 0 : Math.max(0, at - Date.now());
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

export function Countdown({ target, dayWord, daysWord, onDone, ...rest }) {
  const [left, setLeft] = useState(() => remainingMs(target));
  useEffect(() => {
    let retries = 0;
    let fired = false;
    let timer = null;
    const tick = () => {
      const ms = remainingMs(target);
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
    // onDone is a new function on every render; the target alone restarts the timer
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [target]);
  return (
    <time dateTime={target} data-remaining-seconds={Math.ceil(left / 1000)} {...rest}>
      {describe(left, dayWord, daysWord)}
    </time>
  );
}
