import type { FilePeek } from "../../../../core/worker/data-api.ts";
import type { MappingDraft } from "../../import/mapping-draft.ts";

/** What each part of the mapping form gets: the file's peek, the draft, and a change to it. */
export interface MappingPartProps {
  peek: FilePeek;
  draft: MappingDraft;
  set: (patch: Partial<MappingDraft>) => void;
}

/** A labelled select of the import form; a value no option has (a guess that found nothing) shows as "Choose…". */
export function Select<T extends string>(props: {
  label: string;
  value: T;
  options: readonly (readonly [T, string])[] | readonly T[];
  onChange: (v: T) => void;
}) {
  const opts = props.options.map((o) => (Array.isArray(o) ? o : [o, o])) as [T, string][];
  // A guess that found nothing leaves the value empty: say so instead of showing the first option as chosen.
  if (!opts.some(([v]) => v === props.value)) opts.unshift([props.value, "Choose…"]);
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value as T)}>
        {opts.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}
