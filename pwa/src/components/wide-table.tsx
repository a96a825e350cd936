import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";

/**
 * A table's box that scrolls sideways when the table is wider than the screen (a phone: headers and cells wrap only
 * between words, so a table can be wider than its card). While it scrolls it is a named region and one Tab stop, so
 * a keyboard can scroll it too (WCAG 2.1.1; axe's scrollable-region-focusable); while it fits it is a plain box and
 * costs no Tab stop.
 */
export function WideTable(props: { label: string; children: ComponentChildren }) {
  const box = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setScrolls(el.scrollWidth > el.clientWidth + 1);
    measure();
    const resize = new ResizeObserver(measure);
    resize.observe(el);
    for (const child of el.children) resize.observe(child);
    return () => resize.disconnect();
  }, []);
  return (
    <div ref={box} class="table-wide" {...(scrolls ? { tabIndex: 0, role: "region", "aria-label": props.label } : {})}>
      {props.children}
    </div>
  );
}
