import { useRegisterSW } from "virtual:pwa-register/preact";

/** Registers the service worker and, when a new version is waiting, offers to switch to it. */
export function UpdatePrompt() {
  const {
    offlineReady: [offlineReady, setOfflineReady],
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW();

  if (needRefresh) {
    return (
      <div class="toast" role="status">
        <span>A new version of Vitals is ready.</span>
        <button type="button" onClick={() => void updateServiceWorker(true)}>
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
