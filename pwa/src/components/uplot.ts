// uPlot and its stylesheet, a chunk of their own: loaded when a chart is first drawn (or ahead of it on a cold start
// that opens a page with charts), not with the app's first code (issue 14).
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export default uPlot;
