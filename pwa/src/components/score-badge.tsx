import type { ScoreColor } from "../../../core/schema/result.ts";

/** Words for each colour, so colour is never the only signal. */
const COLOR_WORDS: Record<ScoreColor, string> = {
  green: "healthy range",
  yellow: "watch range",
  red: "at-risk range",
  grey: "no score",
};

/** A score as points, grade and colour, with a text alternative that says all three. */
export function ScoreBadge(props: {
  points: number | null;
  grade: string;
  color: ScoreColor;
  label: string;
  size?: "small" | "large";
}) {
  const { points, grade, color, label } = props;
  const text = points === null ? `${label}` : `${points} points, grade ${grade}, ${label} (${COLOR_WORDS[color]})`;
  return (
    <span
      class={`badge badge-${color} ${props.size === "large" ? "badge-large" : ""}`}
      title={text}
      role="img"
      aria-label={text}
    >
      <span class="badge-points" aria-hidden="true">
        {points ?? "—"}
      </span>
      <span class="badge-grade" aria-hidden="true">
        {grade}
      </span>
    </span>
  );
}
