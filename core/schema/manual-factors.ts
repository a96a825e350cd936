/** A qualitative factor a CSM rates 1 (worst) to 5 (best): its metric, its name and a word for each rating. */
export interface ManualFactor {
  metric: string;
  label: string;
  words: readonly [string, string, string, string, string];
}

/** The qualitative factors a CSM rates (docs/scoring.md, "Inputs"), by the metric their ratings are stored as. */
export const MANUAL_FACTORS: readonly ManualFactor[] = [
  { metric: "csm_sentiment", label: "Sentiment", words: ["very unhappy", "unhappy", "neutral", "happy", "very happy"] },
  { metric: "csm_relationship", label: "Relationship", words: ["at risk", "weak", "fair", "good", "strong"] },
  { metric: "csm_risk", label: "Risk", words: ["severe risk", "high risk", "some risk", "low risk", "no known risk"] },
];
