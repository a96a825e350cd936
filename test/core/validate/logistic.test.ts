import { describe, expect, it } from "vitest";
import { fitLogistic, logisticObjective } from "../../../core/validate/logistic.ts";
import { mulberry32 } from "../../../core/validate/random.ts";

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe("fitLogistic", () => {
  it("without a penalty, a yes/no feature's fit is the log-odds of each group (closed form)", () => {
    // x = 0: 10 cases, 2 churned → β₀ = logit(0.2) = ln(0.25); x = 1: 10 cases, 7 churned → β₀ + β₁ = logit(0.7).
    const x = Float64Array.from({ length: 20 }, (_, i) => (i < 10 ? 0 : 1));
    const y = Array.from({ length: 20 }, (_, i) => (i < 2 || (i >= 10 && i < 17) ? 1 : 0));
    for (const solver of ["newton", "gradient"] as const) {
      const fit = fitLogistic(x, y, 1, { l2: 0, solver, tolerance: 1e-10, maxIterations: 200_000 });
      expect(fit.converged).toBe(true);
      expect(fit.intercept).toBeCloseTo(Math.log(0.25), 6);
      expect(fit.coefficients[0]).toBeCloseTo(logit(0.7) - logit(0.2), 6);
    }
  });

  it("with a penalty, separable data get the finite optimum worked out by symmetry", () => {
    // x = [0, 0, 1, 1], y = x, λ = 1. The objective is symmetric under (x, y) → (1 − x, 1 − y), so β₀ = −β₁/2, and
    // ∂/∂β₁ = 2(σ(β₁/2) − 1) + β₁ = 0, i.e. β₁ = 2σ(−β₁/2): solved here by bisection, independently of the fit.
    let lo = 0;
    let hi = 10;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (mid - 2 * sigmoid(-mid / 2) > 0) hi = mid;
      else lo = mid;
    }
    const fit = fitLogistic(Float64Array.of(0, 0, 1, 1), [0, 0, 1, 1], 1, { l2: 1 });
    expect(fit.coefficients[0]).toBeCloseTo(lo, 9);
    expect(fit.intercept).toBeCloseTo(-lo / 2, 9);
  });

  it("stops where the penalised objective's gradient is zero, and both solvers agree", () => {
    const rand = mulberry32(11);
    const n = 400;
    const p = 3;
    const x = Float64Array.from({ length: n * p }, () => rand());
    const y = Array.from({ length: n }, (_, i) => {
      const eta = 1 - 4 * (x[i * p] as number) - 1.5 * (x[i * p + 1] as number);
      return rand() < sigmoid(eta) ? 1 : 0;
    });
    const fit = fitLogistic(x, y, p, { l2: 2 });
    const gradient = new Float64Array(p + 1);
    logisticObjective(x, y, p, Float64Array.of(fit.intercept, ...fit.coefficients), 2, gradient);
    for (const g of gradient) expect(Math.abs(g)).toBeLessThan(1e-6);
    expect(fit.iterations).toBeLessThan(20);
    const slow = fitLogistic(x, y, p, { l2: 2, solver: "gradient", tolerance: 1e-7, maxIterations: 500_000 });
    expect(slow.converged).toBe(true);
    for (let j = 0; j < p; j++) expect(slow.coefficients[j]).toBeCloseTo(fit.coefficients[j] as number, 5);
    // The first two features drive churn down; the third is noise and stays near 0.
    expect(fit.coefficients[0]).toBeLessThan(fit.coefficients[1] as number);
    expect(fit.coefficients[1]).toBeLessThan(-0.5);
  });

  it("refuses features that do not match the cases", () => {
    expect(() => fitLogistic(Float64Array.of(1, 2, 3), [0, 1], 2, { l2: 1 })).toThrow(/expected 2 × 2 features/);
  });
});
