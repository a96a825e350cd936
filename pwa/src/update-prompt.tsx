import { useRegisterSW } from "virtual:pwa-register/preact";
import { useEffect } from "preact/hooks";
import { finishUpdate, takeUpdate } from "./take-update.ts";

let reloading = false;
/** One reload, however many of the update's signals arrive. */
function reloadOnce() {
  if (reloading) return;
  reloading = true;
  window.location.reload();
}

/** This tab's session storage, or none where the browser refuses it (the update then finishes on the next visit). */
function sessionMemo(): Storage | undefined {
  try {
    return sessionStorage;
  } catch {
    return undefined;
  }
}

/** Registers the service worker and, when a new version is waiting, offers to switch to it. */
export function UpdatePrompt() {
  const {
    offlineReady: [offlineReady, setOfflineReady],
    needRefresh: [needRefresh, setNeedRefresh],
  } = useRegisterSW({ onNeedReload: reloadOnce });
  // A reload that asked for the update may have been answered by the old version: finish it.
  useEffect(() => {
    const memo = sessionMemo();
    if ("serviceWorker" in navigator && memo) void finishUpdate(navigator.serviceWorker, reloadOnce, memo);
  }, []);

  if (needRefresh) {
    return (
      <div class="toast" role="status">
        <span>A new version of Vitals is ready.</span>
        <button
          type="button"
          onClick={() => void takeUpdate(navigator.serviceWorker, reloadOnce, { memo: sessionMemo() })}
        >
          Reload to update
        </button>
        <button type="button" class="secondary" onClick={() => setNeedRefresh(false)}>
          Later
        </button>
      </div>
    );
  }
  if (offlineReady) {
    return (
      <div class="toast" role="status">
        <span>Vitals is ready to work offline.</span>
        <button type="button" class="secondary" onClick={() => setOfflineReady(false)}>
          Dismiss
        </button>
      </div>
    );
  }
  return null;
}
