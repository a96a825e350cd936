import { sparklineInWords } from "./format.ts";

const SVG = "http://www.w3.org/2000/svg";

/**
 * The path of a sparkline in a width × height box: scores 0–100 bottom to top, one step per value, a gap (new
 * sub-path) wherever a value is null. Empty when fewer than two values are known.
 */
export function sparklinePath(values: readonly (number | null)[], width: number, height: number): string {
  if (values.filter((v) => v !== null).length < 2) return "";
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    const x = (i * step).toFixed(1);
    const y = (height - (Math.min(100, Math.max(0, v)) / 100) * height).toFixed(1);
    d += `${pen ? "L" : "M"}${x} ${y}`;
    pen = true;
  });
  return d;
}

/** A tiny inline SVG of the score history (built node by node, no markup strings), with a text alternative. */
export function sparklineSvg(doc: Document, values: readonly (number | null)[]): SVGSVGElement {
  const width = 120;
  const height = 28;
  const svg = doc.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `-2 -2 ${width + 4} ${height + 4}`);
  svg.setAttribute("width", String(width + 4));
  svg.setAttribute("height", String(height + 4));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", sparklineInWords(values));
  svg.classList.add("sparkline");
  const path = doc.createElementNS(SVG, "path");
  path.setAttribute("d", sparklinePath(values, width, height));
  path.setAttribute("fill", "none");
  path.setAttribute("stroke", "currentColor");
  path.setAttribute("stroke-width", "1.5");
  path.setAttribute("stroke-linejoin", "round");
  svg.append(path);
  return svg;
}
