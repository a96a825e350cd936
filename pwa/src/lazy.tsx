import type { ComponentType, JSX } from "preact";
import { useEffect, useState } from "preact/hooks";

/** A page whose code is a chunk of its own, loaded on first render (or earlier, with `preload`). */
export interface LazyPage<P> {
  (props: P): JSX.Element | null;
  /** Starts loading the page's code (a cold start does this for the page it opens on, beside the worker's reads). */
  preload(): Promise<unknown>;
}

/**
 * Wraps a page's dynamic import, so only the page a start opens on is loaded with the shell (issue 14: the cold
 * bundle). While the chunk loads, the page says it is loading; a chunk that cannot load says so.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): LazyPage<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  const preload = (): Promise<ComponentType<P>> => {
    loading ??= load().then(
      (page) => {
        loaded = page;
        return page;
      },
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  function Lazy(props: P) {
    const [, setReady] = useState(false);
    const [failed, setFailed] = useState<string | null>(null);
    useEffect(() => {
      // The code may have come in after this render showed "Loading…" and before this effect ran (a cold start
      // preloads the page it opens on): render again, or the page would stay "Loading…" for good.
      if (loaded) {
        setReady(true);
        return;
      }
      let live = true;
      preload().then(
        () => live && setReady(true),
        (error: unknown) => live && setFailed((error as Error)?.message ?? String(error)),
      );
      return () => {
        live = false;
      };
    }, []);
    if (loaded) {
      const Page = loaded;
      return <Page {...props} />;
    }
    if (failed !== null) {
      return (
        <p role="alert" class="error">
          This page could not be loaded: {failed}
        </p>
      );
    }
    return <p aria-busy="true">Loading…</p>;
  }
  return Object.assign(Lazy, { preload });
}
