import { UpdatePrompt } from "./update-prompt.tsx";

/** The application shell: navigation, the current view, and the update prompt. */
export function App() {
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="app-header">
        <span class="brand">Vitals</span>
        <nav aria-label="Main">
          <a href="#/" aria-current="page">
            Dashboard
          </a>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <h1>Portfolio</h1>
        <section class="empty-state" aria-labelledby="empty-title">
          <h2 id="empty-title">No accounts yet</h2>
          <p>
            Vitals scores your customers' health on this device. Nothing you import leaves it: there is no server and no
            account.
          </p>
        </section>
      </main>
      <UpdatePrompt />
    </>
  );
}
