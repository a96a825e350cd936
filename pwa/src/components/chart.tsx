import { useEffect, useRef, useState } from "preact/hooks";
import type uPlot from "uplot";

let uPlotLoading: Promise<typeof uPlot> | undefined;
/** Loads uPlot (once); a page with charts may call it early so its first chart does not wait. */
export function loadCharts(): Promise<typeof uPlot> {
  uPlotLoading ??= import("./uplot.ts").then(
    (m) => m.default,
    (error: unknown) => {
      uPlotLoading = undefined;
      throw error;
    },
  );
  return uPlotLoading;
}

/** The theme's colours as the chart needs them, read from the page's CSS custom properties (light or dark). */
interface ChartTheme {
  text: string;
  grid: string;
  line: string;
}

const DARK = "(prefers-color-scheme: dark)";

function themeOf(el: Element): ChartTheme {
  const style = getComputedStyle(el);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return { text: read("--fg", "#0f172a"), grid: read("--border", "#cbd5e1"), line: read("--accent", "#0f766e") };
}

/** The theme, again whenever the colour scheme changes. */
function useColorScheme(): boolean {
  const [dark, setDark] = useState(() => matchMedia(DARK).matches);
  useEffect(() => {
    const query = matchMedia(DARK);
    const onChange = () => setDark(query.matches);
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }, []);
  return dark;
}

/**
 * Axes drawn in the theme's colours: labels and tick values in the text colour, grid and ticks in the border
 * colour (uPlot draws on a canvas, so CSS alone cannot reach them). A series stroke of "accent" takes the theme's
 * accent.
 */
function themed(options: Omit<uPlot.Options, "width">, theme: ChartTheme): Omit<uPlot.Options, "width"> {
  const axes = (options.axes ?? [{}, {}]).map((axis) => ({
    stroke: theme.text,
    ...axis,
    grid: { stroke: theme.grid, width: 1, ...axis.grid },
    ticks: { stroke: theme.grid, width: 1, ...axis.ticks },
  }));
  const series = options.series.map((s) => (s.stroke === "accent" ? { ...s, stroke: theme.line } : s));
  return { ...options, axes, series };
}

/** A uPlot chart that follows its container's width; `describe` is the text alternative for screen readers. */
export function Chart(props: {
  options: Omit<uPlot.Options, "width">;
  data: uPlot.AlignedData;
  describe: string;
  /** Called once the chart is drawn (uPlot's code is loaded on first use). */
  onDrawn?: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const dark = useColorScheme();
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let live = true;
    let plot: uPlot | undefined;
    let resize: ResizeObserver | undefined;
    loadCharts().then(
      (UPlot) => {
        if (!live) return;
        const options = themed(props.options, themeOf(el));
        const drawn = new UPlot({ ...options, width: Math.max(200, el.clientWidth) } as uPlot.Options, props.data, el);
        plot = drawn;
        resize = new ResizeObserver(() =>
          drawn.setSize({ width: Math.max(200, el.clientWidth), height: props.options.height }),
        );
        resize.observe(el);
        props.onDrawn?.();
      },
      () => undefined, // the chart's text alternative (aria-label) still says what it shows
    );
    return () => {
      live = false;
      resize?.disconnect();
      plot?.destroy();
    };
  }, [props.options, props.data, dark]);
  return <div class="chart" ref={box} role="img" aria-label={props.describe} data-scheme={dark ? "dark" : "light"} />;
}
