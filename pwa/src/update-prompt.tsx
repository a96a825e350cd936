import { useRegisterSW } from "virtual:pwa-register/preact";
import { takeUpdate } from "./take-update.ts";

let reloading = false;
/** One reload, however many of the update's signals arrive. */
function reloadOnce() {
  if (reloading) return;
  reloading = true;
  window.location.reload();
}

/** Registers the service worker and, when a new version is waiting, offers to switch to it. */
export function UpdatePrompt() {
  const {
    offlineReady: [offlineReady, setOfflineReady],
    needRefresh: [needRefresh, setNeedRefresh],
  } = useRegisterSW({ onNeedReload: reloadOnce });

  if (needRefresh) {
    return (
      <div class="toast" role="status">
        <span>A new version of Vitals is ready.</span>
        <button type="button" onClick={() => void takeUpdate(navigator.serviceWorker, reloadOnce)}>
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
