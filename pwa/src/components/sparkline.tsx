/** A tiny line of scores (0–100) as SVG; gaps where a score was null. Decorative: the table says the numbers. */
export function Sparkline(props: { values: readonly number[]; width?: number; height?: number }) {
  const { values, width = 80, height = 22 } = props;
  if (values.length < 2) return null;
  const step = width / (values.length - 1);
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (Number.isNaN(v)) {
      pen = false;
      return;
    }
    const x = (i * step).toFixed(1);
    const y = (height - 2 - ((height - 4) * Math.max(0, Math.min(100, v))) / 100).toFixed(1);
    d += `${pen ? "L" : "M"}${x} ${y} `;
    pen = true;
  });
  return (
    <svg class="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
      <path d={d} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}
