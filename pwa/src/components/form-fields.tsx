import { createContext, type JSX } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import type { FileIssue } from "../../../core/schema/issues.ts";

/**
 * Labelled form fields that show the validation problems of their JSON path (`$.factors[0].weight`) beside them.
 * Every field is a native control with a visible label, so the form is keyboard- and screen-reader-friendly.
 */

/** The problems of the draft being edited, by JSON path. */
export const IssuesContext = createContext<ReadonlyMap<string, string[]>>(new Map());

/** Groups problems by path. */
export function issuesByPath(issues: readonly FileIssue[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const i of issues) map.set(i.path, [...(map.get(i.path) ?? []), i.message]);
  return map;
}

/** A schema message in plainer words where the schema's own is technical (an empty number field reads as NaN). */
export function plainMessage(message: string): string {
  if (/expected number, received (NaN|undefined)/.test(message)) return "a number is needed here";
  if (/expected string to have >=1 characters/.test(message)) return "this cannot be empty";
  if (/expected array to have >=1 items/.test(message)) return "give at least one";
  return message;
}

/** A DOM id for the control of a JSON path. */
export const fieldId = (path: string): string => `field${path.replace(/[^A-Za-z0-9]+/g, "-")}`;

/** Moves focus to the control of a path, or of the nearest enclosing path that has one. */
export function focusPath(path: string): void {
  for (let p = path; ; ) {
    const el = document.getElementById(fieldId(p));
    if (el) {
      el.focus();
      el.scrollIntoView({ block: "center" });
      return;
    }
    const shorter = p.replace(/(\.[^.[\]]+|\[[^\]]*\])$/, "");
    if (shorter === p) return;
    p = shorter;
  }
}

interface FieldProps {
  label: string;
  path: string;
  hint?: string;
  class?: string;
}

/** What every control gets from its field: its id, and the hint and problems that describe it. */
interface ControlAttributes {
  id: string;
  "aria-invalid": "true" | undefined;
  "aria-describedby": string | undefined;
}

function Field(props: FieldProps & { children: (a: ControlAttributes) => JSX.Element }) {
  const messages = useContext(IssuesContext).get(props.path) ?? [];
  const id = fieldId(props.path);
  const described = [props.hint ? `${id}-hint` : "", messages.length ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div class={`field ${props.class ?? ""} ${messages.length ? "field-invalid" : ""}`}>
      <label for={id}>{props.label}</label>
      {props.children({
        id,
        "aria-invalid": messages.length > 0 ? "true" : undefined,
        "aria-describedby": described || undefined,
      })}
      {props.hint && (
        <span class="field-hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
      {messages.length > 0 && (
        <span class="field-error" id={`${id}-error`}>
          {messages.join("; ")}
        </span>
      )}
    </div>
  );
}

/** A line of text (or several, with `rows`). */
export function TextField(
  props: FieldProps & { value: string; onInput: (v: string) => void; list?: string; rows?: number },
) {
  return (
    <Field {...props}>
      {(a) =>
        props.rows ? (
          <textarea
            {...a}
            rows={props.rows}
            value={props.value}
            onInput={(e) => props.onInput(e.currentTarget.value)}
          />
        ) : (
          <input
            {...a}
            type="text"
            list={props.list}
            value={props.value}
            onInput={(e) => props.onInput(e.currentTarget.value)}
          />
        )
      }
    </Field>
  );
}

/**
 * A number typed as text, so a half-typed value ("-", "0.") stays on screen while the draft holds what it means:
 * NaN when it is not a number (the schema then names the problem), undefined when left empty and optional.
 */
export function NumberField(
  props: FieldProps & {
    value: number | undefined;
    onChange: (v: number | undefined) => void;
    optional?: boolean;
    /** Shown and typed as value × scale (a share of 0.5 typed as 50 %). */
    scale?: number;
  },
) {
  const scale = props.scale ?? 1;
  const show = (v: number | undefined) =>
    v === undefined || Number.isNaN(v) ? "" : String(Number((v * scale).toPrecision(12)));
  const [text, setText] = useState(() => show(props.value));
  const parse = (t: string): number | undefined => {
    const trimmed = t.trim().replace(/^−/, "-");
    if (trimmed === "") return props.optional ? undefined : Number.NaN;
    const n = Number(trimmed);
    return Number.isFinite(n) ? n / scale : Number.NaN;
  };
  // A value changed from outside (a revert, a reset) replaces the text; the user's own typing does not.
  useEffect(() => {
    const mine = parse(text);
    const same = mine === props.value || (Number.isNaN(mine as number) && Number.isNaN(props.value as number));
    if (!same) setText(show(props.value));
    // Only an outside change of the value resets the text (not each keystroke).
  }, [props.value]);
  return (
    <Field {...props}>
      {(a) => (
        <input
          {...a}
          type="text"
          inputMode="decimal"
          class="number"
          value={text}
          onInput={(e) => {
            const t = e.currentTarget.value;
            setText(t);
            props.onChange(parse(t));
          }}
        />
      )}
    </Field>
  );
}

/** A comma-separated list of words (segments, stages), kept as typed until it means a different list. */
export function ListField(
  props: FieldProps & { value: readonly string[]; onChange: (v: string[]) => void; list?: string },
) {
  const [text, setText] = useState(() => props.value.join(", "));
  const parse = (t: string) =>
    t
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v !== "");
  useEffect(() => {
    if (parse(text).join("\u0000") !== props.value.join("\u0000")) setText(props.value.join(", "));
    // Only an outside change of the value resets the text (not each keystroke).
  }, [props.value]);
  return (
    <Field {...props}>
      {(a) => (
        <input
          {...a}
          type="text"
          list={props.list}
          value={text}
          onInput={(e) => {
            const t = e.currentTarget.value;
            setText(t);
            props.onChange(parse(t));
          }}
        />
      )}
    </Field>
  );
}

/** A choice among a few options. */
export function SelectField<T extends string>(
  props: FieldProps & { value: T; options: readonly (readonly [T, string])[]; onChange: (v: T) => void },
) {
  return (
    <Field {...props}>
      {(a) => (
        <select {...a} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as T)}>
          {props.options.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
