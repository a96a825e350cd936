/**
 * Where keyboard focus goes after an action and within a long page (issue 18, item 3): to the action's result, not
 * the page's body, and from skip links to a page's sections. The app routes by hash (#/accounts/…), so an in-page
 * link must not change the hash: these links move focus themselves.
 */

/**
 * Moves focus to the element with this id, making it focusable by script first if it is not (tabindex −1, so it
 * does not join the Tab order), and scrolls it into view. Returns false when there is no such element.
 */
export function focusById(id: string, block: ScrollLogicalPosition = "nearest"): boolean {
  const el = document.getElementById(id);
  if (!el) return false;
  const focusable = el.matches("a[href], button, input, select, textarea, [tabindex]");
  if (!focusable) el.setAttribute("tabindex", "-1");
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block });
  return true;
}

/**
 * After an action whose page reloads its data, focus the result once it is on the page: checks every 50 ms for up
 * to 20 s (a rescore on a loaded machine) until the element exists and `ready` says it shows the result, then
 * gives up silently. Stops as well when the user moved focus elsewhere meanwhile (a click, a Tab).
 */
export function focusWhenShown(id: string, ready: (el: HTMLElement) => boolean = () => true): void {
  const from = document.activeElement;
  const until = Date.now() + 20_000;
  const step = () => {
    const now = document.activeElement;
    if (now !== from && now !== document.body && now !== null) return;
    const el = document.getElementById(id);
    if (el && ready(el)) {
      focusById(id);
      return;
    }
    if (Date.now() < until) setTimeout(step, 50);
  };
  step();
}

/** A link that moves focus to an element of this page by id, without changing the route. */
export function JumpLink(props: { to: string; class?: string; children: preact.ComponentChildren }) {
  return (
    <a
      href={`#${props.to}`}
      class={props.class}
      onClick={(e) => {
        e.preventDefault();
        // A section skipped to starts at the top of the screen, as a jump to an anchor would.
        focusById(props.to, "start");
      }}
    >
      {props.children}
    </a>
  );
}

/** "On this page": skip links to a long page's sections, each moving focus to its section. */
export function SkipLinks(props: { links: readonly { to: string; label: string }[] }) {
  return (
    <nav class="skip-links" aria-label="On this page">
      <span class="muted small">On this page:</span>
      <ul>
        {props.links.map((l) => (
          <li key={l.to}>
            <JumpLink to={l.to}>{l.label}</JumpLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
