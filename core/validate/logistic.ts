/**
 * L2-regularised logistic regression of a yes/no outcome on a few features: minimises
 *   Σᵢ [log(1 + e^ηᵢ) − yᵢ·ηᵢ] + (λ/2)·Σⱼ βⱼ²,   ηᵢ = β₀ + Σⱼ βⱼ·xᵢⱼ
 * (the intercept β₀ is not penalised). With a handful of factors Newton's method solves it in a few passes over
 * the data; plain gradient descent is kept as the naive baseline the benchmark measures against.
 */

/** Options of a fit. */
export interface LogisticOptions {
  /** λ, the L2 penalty on the coefficients (not the intercept). */
  l2: number;
  /** "newton" (default) or "gradient": plain gradient descent with a fixed safe step, the naive baseline. */
  solver?: "newton" | "gradient";
  /** Stop when every partial derivative of the objective is at most this (default 1e-8 per case). */
  tolerance?: number;
  /** Give up after this many iterations (default 100 for Newton, 20,000 for gradient descent). */
  maxIterations?: number;
  /** Where to start: [intercept, coefficients…] of a nearby fit (a fold's fit starts from the whole data's). */
  start?: ArrayLike<number>;
}

/** A fitted model. */
export interface LogisticFit {
  intercept: number;
  coefficients: Float64Array;
  iterations: number;
  /** Whether the gradient fell below the tolerance. */
  converged: boolean;
  /** Largest |partial derivative| of the objective at the solution. */
  gradientNorm: number;
}

/** log(1 + e^η) without overflow. */
const softplus = (eta: number) => (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta)));
const sigmoid = (eta: number) => (eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta)));

/** The penalised objective and its gradient (index 0: intercept) at θ = [β₀, β₁ … βₚ]. */
export function logisticObjective(
  x: Float64Array,
  y: ArrayLike<number>,
  p: number,
  theta: Float64Array,
  l2: number,
  gradient?: Float64Array,
): number {
  const n = y.length;
  let value = 0;
  gradient?.fill(0);
  for (let i = 0; i < n; i++) {
    let eta = theta[0] as number;
    for (let j = 0; j < p; j++) eta += (theta[j + 1] as number) * (x[i * p + j] as number);
    const yi = y[i] ? 1 : 0;
    value += softplus(eta) - yi * eta;
    if (gradient) {
      const r = sigmoid(eta) - yi;
      gradient[0] = (gradient[0] as number) + r;
      for (let j = 0; j < p; j++) gradient[j + 1] = (gradient[j + 1] as number) + r * (x[i * p + j] as number);
    }
  }
  for (let j = 1; j <= p; j++) {
    const b = theta[j] as number;
    value += 0.5 * l2 * b * b;
    if (gradient) gradient[j] = (gradient[j] as number) + l2 * b;
  }
  return value;
}

const maxAbs = (v: Float64Array) => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/** Solves A·d = b for a symmetric positive definite A (size m × m, row-major) by Cholesky; A is overwritten. */
function choleskySolve(a: Float64Array, b: Float64Array, m: number): Float64Array {
  for (let j = 0; j < m; j++) {
    let d = a[j * m + j] as number;
    for (let k = 0; k < j; k++) d -= (a[j * m + k] as number) ** 2;
    // A column that is all zeros (a factor no case has, with λ = 0) gets a tiny ridge instead of a division by 0.
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
  const d = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = z[i] as number;
    for (let k = i + 1; k < m; k++) s -= (a[k * m + i] as number) * (d[k] as number);
    d[i] = s / (a[i * m + i] as number);
  }
  return d;
}

/**
 * The objective, its gradient and (when `hessian` is given) its Hessian at θ in one pass over the cases: one
 * exp per case serves both log(1 + e^η) and σ(η). Returns the objective.
 */
function passWithHessian(
  x: Float64Array,
  y: ArrayLike<number>,
  p: number,
  theta: Float64Array,
  l2: number,
  gradient: Float64Array,
  hessian: Float64Array,
): number {
  const n = y.length;
  const m = p + 1;
  let value = 0;
  gradient.fill(0);
  hessian.fill(0);
  for (let i = 0; i < n; i++) {
    const row = i * p;
    let eta = theta[0] as number;
    for (let j = 0; j < p; j++) eta += (theta[j + 1] as number) * (x[row + j] as number);
    const e = Math.exp(-Math.abs(eta));
    const yi = y[i] ? 1 : 0;
    value += Math.max(eta, 0) + Math.log1p(e) - yi * eta;
    const s = eta >= 0 ? 1 / (1 + e) : e / (1 + e);
    const r = s - yi;
    const w = s * (1 - s);
    gradient[0] = (gradient[0] as number) + r;
    hessian[0] = (hessian[0] as number) + w;
    for (let a = 1; a < m; a++) {
      const xa = x[row + a - 1] as number;
      gradient[a] = (gradient[a] as number) + r * xa;
      const wa = w * xa;
      hessian[a * m] = (hessian[a * m] as number) + wa;
      for (let b = 1; b <= a; b++)
        hessian[a * m + b] = (hessian[a * m + b] as number) + wa * (x[row + b - 1] as number);
    }
  }
  for (let j = 1; j < m; j++) {
    const b = theta[j] as number;
    value += 0.5 * l2 * b * b;
    gradient[j] = (gradient[j] as number) + l2 * b;
    hessian[j * m + j] = (hessian[j * m + j] as number) + l2;
  }
  for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) hessian[a * m + b] = hessian[b * m + a] as number;
  return value;
}

function newton(
  x: Float64Array,
  y: ArrayLike<number>,
  p: number,
  l2: number,
  tol: number,
  maxIter: number,
  start?: ArrayLike<number>,
) {
  const m = p + 1;
  const theta = start ? Float64Array.from(start) : new Float64Array(m);
  const gradient = new Float64Array(m);
  const hessian = new Float64Array(m * m);
  const trial = new Float64Array(m);
  const trialGradient = new Float64Array(m);
  const trialHessian = new Float64Array(m * m);
  let value = passWithHessian(x, y, p, theta, l2, gradient, hessian);
  let iterations = 0;
  while (maxAbs(gradient) > tol && iterations < maxIter) {
    iterations++;
    const step = choleskySolve(hessian.slice(), gradient, m);
    // Backtracking: a full Newton step can overshoot far from the optimum (near-separable data). Each trial is one
    // pass that also gives the gradient and Hessian the next iteration needs, so an accepted step costs one pass.
    let t = 1;
    let next = value;
    for (;;) {
      for (let j = 0; j < m; j++) trial[j] = (theta[j] as number) - t * (step[j] as number);
      next = passWithHessian(x, y, p, trial, l2, trialGradient, trialHessian);
      // Near the optimum a full step changes the objective by less than rounding: accept it rather than halving on.
      if (next <= value + 1e-12 * Math.max(1, Math.abs(value)) || t < 1e-10) break;
      t /= 2;
    }
    theta.set(trial);
    gradient.set(trialGradient);
    hessian.set(trialHessian);
    value = next;
  }
  return { theta, iterations, gradientNorm: maxAbs(gradient) };
}

function gradientDescent(
  x: Float64Array,
  y: ArrayLike<number>,
  p: number,
  l2: number,
  tol: number,
  maxIter: number,
  start?: ArrayLike<number>,
) {
  const n = y.length;
  // A step of 1/L with L ≥ the gradient's Lipschitz constant (¼·trace(XᵀX) + λ) never diverges.
  let trace = n;
  for (let k = 0; k < x.length; k++) trace += (x[k] as number) ** 2;
  const step = 1 / (0.25 * trace + l2);
  const theta = start ? Float64Array.from(start) : new Float64Array(p + 1);
  const gradient = new Float64Array(p + 1);
  logisticObjective(x, y, p, theta, l2, gradient);
  let iterations = 0;
  while (maxAbs(gradient) > tol && iterations < maxIter) {
    iterations++;
    for (let j = 0; j <= p; j++) theta[j] = (theta[j] as number) - step * (gradient[j] as number);
    logisticObjective(x, y, p, theta, l2, gradient);
  }
  return { theta, iterations, gradientNorm: maxAbs(gradient) };
}

/**
 * Fits the model to n cases of p features (`x` row-major n × p, `y` 1 for a positive case, 0 otherwise). Needs at
 * least one case of each kind when λ = 0 and the data are not separable; with λ > 0 the coefficients stay finite.
 */
export function fitLogistic(x: Float64Array, y: ArrayLike<number>, p: number, options: LogisticOptions): LogisticFit {
  if (x.length !== y.length * p) throw new Error(`expected ${y.length} × ${p} features, got ${x.length} values`);
  const solver = options.solver ?? "newton";
  const tol = options.tolerance ?? 1e-8 * Math.max(1, y.length);
  const maxIter = options.maxIterations ?? (solver === "newton" ? 100 : 20_000);
  if (options.start && options.start.length !== p + 1) throw new Error(`a start needs ${p + 1} numbers`);
  const fit = (solver === "newton" ? newton : gradientDescent)(x, y, p, options.l2, tol, maxIter, options.start);
  return {
    intercept: fit.theta[0] as number,
    coefficients: fit.theta.slice(1),
    iterations: fit.iterations,
    converged: fit.gradientNorm <= tol,
    gradientNorm: fit.gradientNorm,
  };
}
