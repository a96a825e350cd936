/**
 * The colours a score is shown in; grey is "not enough data". A plain list, so code that checks a colour without the
 * result schemas (the stored views a cold start reads, issue 14) need not load them.
 */
export const SCORE_COLORS = ["green", "yellow", "red", "grey"] as const;
