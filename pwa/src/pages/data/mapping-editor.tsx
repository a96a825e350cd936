import { DATE_FORMATS } from "../../../../core/io/values.ts";
import type { FilePeek } from "../../../../core/worker/data-api.ts";
import type { EditedKind, MappingDraft } from "../../import/mapping-draft.ts";
import { EventsColumns } from "./events-columns.tsx";
import { LinksColumns, LongColumns, OutcomesColumns } from "./kind-columns.tsx";
import { Select } from "./mapping-form.tsx";
import { WideColumns } from "./wide-columns.tsx";

/** Where the date format came from: the file's dates, or a question when they fit more than one format. */
function DateHint({ peek, dateFormat }: { peek: FilePeek; dateFormat: MappingDraft["dateFormat"] }) {
  const g = peek.guess;
  if (g.dates.kind === "none") return null;
  const examples = g.dates.examples.join(", ");
  const columns = g.dateColumns.join(", ");
  if (g.dates.kind === "ambiguous" && dateFormat === "") {
    return (
      <p class="ask small" role="note">
        The dates in {columns} ({examples}) read as {g.dates.formats.join(" or ")}: choose the one your file uses.
      </p>
    );
  }
  return (
    <p class="muted small">
      {g.dates.kind === "sure" && dateFormat === g.dates.format
        ? `Detected from ${columns} (${examples})${g.dates.withTime ? "; times are ignored" : ""}.`
        : `The file's dates look like ${examples}.`}
    </p>
  );
}

/** How to read the columns: how rows name their account, dates and decimals, then what the kind of file needs. */
export function MappingEditor(props: {
  kind: EditedKind;
  peek: FilePeek;
  draft: MappingDraft;
  setDraft: (d: MappingDraft) => void;
}) {
  const { kind, peek, draft: d, setDraft } = props;
  const set = (patch: Partial<MappingDraft>) => setDraft({ ...d, ...patch });
  const header = peek.header;
  return (
    <fieldset class="mapping">
      <legend>How to read the columns</legend>
      <div class="filters">
        <Select
          label="Accounts are named by"
          value={d.accountBy}
          options={[
            ["id", "Account id"],
            ["externalId", "Id in another system"],
            ["domain", "Email domain or website"],
            ["email", "A person's email address"],
            ["name", "Account name"],
          ]}
          onChange={(accountBy) => set({ accountBy })}
        />
        <Select
          label="in the column"
          value={d.accountColumn}
          options={header}
          onChange={(accountColumn) => set({ accountColumn })}
        />
        {d.accountBy === "externalId" && (
          <label>
            System or id kind (any: salesforce, subscription, workspace…)
            <input
              value={d.system}
              list="id-kinds"
              onInput={(e) => set({ system: (e.currentTarget as HTMLInputElement).value.trim() })}
            />
            <datalist id="id-kinds">
              {["salesforce", "hubspot", "zendesk", "intercom", "freshdesk", "subscription", "workspace"].map((k) => (
                <option key={k} value={k} />
              ))}
            </datalist>
          </label>
        )}
        <Select
          label="Dates look like"
          value={d.dateFormat}
          options={DATE_FORMATS}
          onChange={(dateFormat) => set({ dateFormat })}
        />
        <DateHint peek={peek} dateFormat={d.dateFormat} />
        <Select
          label="Decimal mark"
          value={d.decimal}
          options={[
            [".", "1,234.5"],
            [",", "1.234,5"],
          ]}
          onChange={(decimal) => set({ decimal })}
        />
      </div>
      {kind === "wide" && <WideColumns peek={peek} draft={d} set={set} />}
      {kind === "links" && <LinksColumns peek={peek} draft={d} set={set} />}
      {kind === "long" && <LongColumns peek={peek} draft={d} set={set} />}
      {kind === "outcomes" && <OutcomesColumns peek={peek} draft={d} set={set} />}
      {kind === "events" && <EventsColumns peek={peek} draft={d} set={set} />}
    </fieldset>
  );
}
