/**
 * L2-regularised logistic regression on one-hot features: each case has one active column per factor (its
 * category, its numeric step, or its missing bin), so a case is a short list of column indices and a Newton pass
 * costs cases × factors² instead of cases × columns². Minimises
 *   Σᵢ [log(1 + e^ηᵢ) − yᵢ·ηᵢ] + (λ/2)·Σ_c β_c²,   ηᵢ = β₀ + Σ_{c active in i} β_c
 * with the intercept β₀ unpenalised. Every column of a factor is kept (no reference level): the penalty makes the
 * fit unique and pulls a column with few cases toward 0, the intercept's average: thin evidence gives few points.
 */

/** Cases as active columns: `active[i·width + j]` is case i's column for factor j, or −1 for none. */
export interface OneHotDesign {
  active: Int32Array;
  /** Factors per case. */
  width: number;
  /** Number of columns. */
  columns: number;
}

/** A fitted one-hot model. */
export interface OneHotFit {
  intercept: number;
  /** Coefficient per column: log-odds of the positive outcome that the column adds. */
  coefficients: Float64Array;
  iterations: number;
  converged: boolean;
}

const softplusExp = (eta: number) => {
  const e = Math.exp(-Math.abs(eta));
  return { e, value: Math.max(eta, 0) + Math.log1p(e), s: eta >= 0 ? 1 / (1 + e) : e / (1 + e) };
};

/** Solves A·x = b for a symmetric positive definite A (m × m, row-major; overwritten) by Cholesky. */
function cholesky(a: Float64Array, b: Float64Array, m: number): Float64Array {
  for (let j = 0; j < m; j++) {
    let d = a[j * m + j] as number;
    for (let k = 0; k < j; k++) d -= (a[j * m + k] as number) ** 2;
    const root = Math.sqrt(Math.max(d, 1e-12));
    a[j * m + j] = root;
    for (let i = j + 1; i < m; i++) {
      let s = a[i * m + j] as number;
      for (let k = 0; k < j; k++) s -= (a[i * m + k] as number) * (a[j * m + k] as number);
      a[i * m + j] = s / root;
    }
  }
  const z = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (a[i * m + k] as number) * (z[k] as number);
    z[i] = s / (a[i * m + i] as number);
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = z[i] as number;
    for (let k = i + 1; k < m; k++) s -= (a[k * m + i] as number) * (x[k] as number);
    x[i] = s / (a[i * m + i] as number);
  }
  return x;
}

/** The linear predictor η of case `i` under θ = [β₀, β…]. */
function etaOf(design: OneHotDesign, theta: Float64Array, row: number): number {
  let eta = theta[0] as number;
  const base = row * design.width;
  for (let j = 0; j < design.width; j++) {
    const c = design.active[base + j] as number;
    if (c >= 0) eta += theta[c + 1] as number;
  }
  return eta;
}

/** Objective, gradient and Hessian (index 0: intercept) over the cases `rows`. */
function pass(
  design: OneHotDesign,
  y: ArrayLike<number>,
  rows: ArrayLike<number>,
  theta: Float64Array,
  l2: number,
  gradient: Float64Array,
  hessian: Float64Array,
): number {
  const m = design.columns + 1;
  const { width, active } = design;
  gradient.fill(0);
  hessian.fill(0);
  let value = 0;
  const idx = new Int32Array(width + 1);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] as number;
    const eta = etaOf(design, theta, i);
    const { value: sp, s } = softplusExp(eta);
    const yi = y[i] ? 1 : 0;
    value += sp - yi * eta;
    const r = s - yi;
    const w = s * (1 - s);
    let count = 1;
    idx[0] = 0;
    for (let j = 0; j < width; j++) {
      const c = active[i * width + j] as number;
      if (c >= 0) idx[count++] = c + 1;
    }
    for (let a = 0; a < count; a++) {
      const ca = idx[a] as number;
      gradient[ca] = (gradient[ca] as number) + r;
      for (let b = 0; b < count; b++) {
        const cb = idx[b] as number;
        hessian[ca * m + cb] = (hessian[ca * m + cb] as number) + w;
      }
    }
  }
  for (let c = 1; c < m; c++) {
    const b = theta[c] as number;
    value += 0.5 * l2 * b * b;
    gradient[c] = (gradient[c] as number) + l2 * b;
    hessian[c * m + c] = (hessian[c * m + c] as number) + l2;
  }
  // A column no case has and λ = 0 would make the Hessian singular: a tiny ridge keeps its coefficient at 0.
  for (let c = 0; c < m; c++) if ((hessian[c * m + c] as number) === 0) hessian[c * m + c] = 1e-9;
  return value;
}

/**
 * Fits the model on the cases `rows` (indices into the design and `y`). λ > 0 keeps every coefficient finite
 * even when a column separates the outcome perfectly.
 */
export function fitOneHot(
  design: OneHotDesign,
  y: ArrayLike<number>,
  rows: ArrayLike<number>,
  l2: number,
  maxIterations = 50,
): OneHotFit {
  const m = design.columns + 1;
  const tol = 1e-8 * Math.max(1, rows.length);
  const theta = new Float64Array(m);
  const gradient = new Float64Array(m);
  const hessian = new Float64Array(m * m);
  const trial = new Float64Array(m);
  const trialGradient = new Float64Array(m);
  const trialHessian = new Float64Array(m * m);
  let value = pass(design, y, rows, theta, l2, gradient, hessian);
  let iterations = 0;
  const maxAbs = (v: Float64Array) => v.reduce((acc, x) => Math.max(acc, Math.abs(x)), 0);
  while (maxAbs(gradient) > tol && iterations < maxIterations) {
    iterations++;
    const step = cholesky(hessian.slice(), gradient, m);
    let t = 1;
    let next = value;
    for (;;) {
      for (let j = 0; j < m; j++) trial[j] = (theta[j] as number) - t * (step[j] as number);
      next = pass(design, y, rows, trial, l2, trialGradient, trialHessian);
      if (next <= value + 1e-12 * Math.max(1, Math.abs(value)) || t < 1e-10) break;
      t /= 2;
    }
    theta.set(trial);
    gradient.set(trialGradient);
    hessian.set(trialHessian);
    value = next;
  }
  return {
    intercept: theta[0] as number,
    coefficients: theta.slice(1),
    iterations,
    converged: maxAbs(gradient) <= tol,
  };
}

/** The fitted log-odds of every case in `rows` (indexed like `rows`). */
export function predictOneHot(design: OneHotDesign, fit: OneHotFit, rows: ArrayLike<number>): Float64Array {
  const theta = new Float64Array(design.columns + 1);
  theta[0] = fit.intercept;
  theta.set(fit.coefficients, 1);
  return Float64Array.from({ length: rows.length }, (_, k) => etaOf(design, theta, rows[k] as number));
}
