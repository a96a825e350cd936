import { count, plural } from "../../../../core/text/words.ts";
import type { OutcomeCounts } from "../../../../core/worker/validation-api.ts";
import { HORIZONS, UNLISTED_WORDS, type Unlisted, type ValidationSettings } from "./settings.ts";

/** When to score each account, and what the accounts with no outcome are; with the outcomes on record. */
export function SettingsForm(props: {
  settings: ValidationSettings;
  set: (patch: Partial<ValidationSettings>) => void;
  outcomes: OutcomeCounts;
}) {
  const { settings, set, outcomes } = props;
  const { horizon, unlisted, period } = settings;
  return (
    <fieldset class="filters horizon">
      <legend>When to score each account</legend>
      <label>
        Score each account
        <select
          value={horizon.kind === "days" ? String(horizon.days) : "snapshot"}
          onChange={(e) => {
            const v = (e.currentTarget as HTMLSelectElement).value;
            set({
              horizon:
                v === "snapshot"
                  ? { kind: "snapshot", day: outcomes.commonestDay ?? "" }
                  : { kind: "days", days: Number(v) },
            });
          }}
        >
          {HORIZONS.map((d) => (
            <option key={d} value={String(d)}>
              {d} days before its outcome{d === 90 ? " (default)" : ""}
            </option>
          ))}
          <option value="snapshot">on one snapshot day (a churn-flag file)</option>
        </select>
      </label>
      {horizon.kind === "snapshot" && (
        <label>
          Snapshot day
          <input
            type="date"
            value={horizon.day}
            onChange={(e) => set({ horizon: { kind: "snapshot", day: (e.currentTarget as HTMLInputElement).value } })}
          />
        </label>
      )}
      <label>
        Accounts with no outcome in the period
        <select
          value={unlisted}
          onChange={(e) => set({ unlisted: (e.currentTarget as HTMLSelectElement).value as Unlisted })}
        >
          {(Object.keys(UNLISTED_WORDS) as Unlisted[]).map((u) => (
            <option key={u} value={u}>
              {UNLISTED_WORDS[u]}
            </option>
          ))}
        </select>
      </label>
      {unlisted !== "leave-out" && (
        <>
          <label>
            Period from
            <input
              type="date"
              value={period.from}
              placeholder={outcomes.from ?? undefined}
              onChange={(e) => set({ period: { ...period, from: (e.currentTarget as HTMLInputElement).value } })}
            />
          </label>
          <label>
            Period to
            <input
              type="date"
              value={period.to}
              placeholder={outcomes.to ?? undefined}
              onChange={(e) => set({ period: { ...period, to: (e.currentTarget as HTMLInputElement).value } })}
            />
          </label>
          <span class="muted small">Empty: from the first to the last outcome day.</span>
        </>
      )}
      <span class="muted small">
        {plural(outcomes.total, "outcome", "outcomes")} on record ({count(outcomes.byKind.churned)} churned),{" "}
        {outcomes.from} to {outcomes.to}.
      </span>
    </fieldset>
  );
}
