import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";

/**
 * Unsaved work that leaving the page would lose. A page registers it with `useLeaveGuard` while it has some; the
 * router asks `navigationBlocked` before following a hash change, in-app links are caught before they change the
 * hash, and closing or reloading the tab gets the browser's own `beforeunload` question.
 */
interface Guard {
  /** What would be lost, for the question ("your changes to Adoption (SMB)"). */
  what: string;
}

let guard: Guard | null = null;
/** The hash of the page the user is on (where a refused hash change goes back to). */
let currentHash = location.hash;
/** Where the user asked to go while a guard held them, shown in the dialog (null: no question open). */
let asked: string | null = null;
const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};

/**
 * Guards the page's unsaved work while `active`: leaving asks first, in the app and when the tab closes. Registered in
 * a layout effect, in the same commit that shows "unsaved changes": a plain effect runs after the frame is painted,
 * so a tab closed right after the first edit showed unsaved changes and was let go without the question.
 */
export function useLeaveGuard(active: boolean, what: string): void {
  useLayoutEffect(() => {
    if (!active) return;
    const mine = { what };
    guard = mine;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older Chromium asks only when returnValue is set.
      event.returnValue = "";
    };
    addEventListener("beforeunload", onBeforeUnload);
    return () => {
      if (guard === mine) guard = null;
      removeEventListener("beforeunload", onBeforeUnload);
    };
  }, [active, what]);
}

/** Lets the page go without asking (after a save or a discard that navigates at once). */
export function releaseLeaveGuard(): void {
  guard = null;
}

/** Goes to `hash` unless unsaved work holds the user, in which case the dialog asks first. */
function request(hash: string): void {
  if (guard) {
    asked = hash;
    notify();
  } else location.hash = hash;
}

/**
 * For the router, on a hash change: true when unsaved work holds the user (the address goes back to the page they
 * are on, without a new history entry, and the dialog asks); false when the change may be followed.
 */
export function navigationBlocked(): boolean {
  if (guard && location.hash !== currentHash) {
    const target = location.hash;
    history.replaceState(history.state, "", currentHash || location.pathname + location.search);
    asked = target;
    notify();
    return true;
  }
  currentHash = location.hash;
  return false;
}

/** The question asked before unsaved work is left behind: a modal dialog with Stay and Leave. */
export function LeaveDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [target, setTarget] = useState<string | null>(null);
  useEffect(() => {
    const listener = () => setTarget(asked);
    listeners.add(listener);
    // In-app links ask before the hash changes, so history stays as it was when the user stays.
    const onClick = (event: MouseEvent) => {
      if (!guard || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
      const link = (event.target as Element | null)?.closest?.("a[href^='#']");
      const href = link?.getAttribute("href");
      if (!href || href === "#main" || href === currentHash || link?.hasAttribute("download")) return;
      event.preventDefault();
      request(href);
    };
    document.addEventListener("click", onClick, true);
    return () => {
      listeners.delete(listener);
      document.removeEventListener("click", onClick, true);
    };
  }, []);
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (target !== null && !el.open) el.showModal();
    if (target === null && el.open) el.close();
  }, [target]);
  const stay = () => {
    asked = null;
    setTarget(null);
  };
  const leave = () => {
    const to = asked;
    asked = null;
    guard = null;
    setTarget(null);
    if (to !== null) location.hash = to;
  };
  return (
    <dialog
      ref={dialog}
      class="leave-dialog"
      aria-labelledby="leave-title"
      aria-describedby="leave-text"
      // Escape (the dialog's cancel) means stay.
      onCancel={(e) => {
        e.preventDefault();
        stay();
      }}
    >
      {target !== null && (
        <>
          <h2 id="leave-title">Leave without saving?</h2>
          <p id="leave-text">You have unsaved {guard?.what ?? "changes"}. If you leave this page now, they are lost.</p>
          <div class="dialog-actions">
            <button type="button" onClick={stay}>
              Stay on this page
            </button>
            <button type="button" class="secondary" onClick={leave}>
              Leave without saving
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
