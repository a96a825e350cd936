import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** A uPlot chart that follows its container's width; `describe` is the text alternative for screen readers. */
export function Chart(props: { options: Omit<uPlot.Options, "width">; data: uPlot.AlignedData; describe: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const plot = new uPlot({ ...props.options, width: Math.max(280, el.clientWidth) } as uPlot.Options, props.data, el);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(280, el.clientWidth), height: props.options.height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.options, props.data]);
  return <div class="chart" ref={box} role="img" aria-label={props.describe} />;
}
