import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

/** How long a page waits for a frame before it renders the rest anyway (a tab in the background draws no frames). */
const NO_FRAME_MS = 200;

/**
 * False on a page's first render, true once the browser has painted it: a long page renders what its first screen
 * shows first, and what lies below it in the next task after that paint (issue 14: an account page's second and
 * further scorecard cards and its forms are about half of its elements, and creating them held back the paint of
 * its score). A tab that draws no frame (in the background) renders the rest after a moment instead.
 */
export function useAfterFirstPaint(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      clearTimeout(fallback);
      setPainted(true);
    };
    // A frame's callback runs before that frame is painted; a task queued from it runs after.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(done, 0);
    });
    const fallback = setTimeout(done, NO_FRAME_MS);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      clearTimeout(fallback);
    };
  }, []);
  return painted;
}

/** Renders `children` only once the page around it has been painted (see useAfterFirstPaint). */
export function AfterFirstPaint({ children }: { children: ComponentChildren }) {
  return useAfterFirstPaint() ? children : null;
}
