// The editor's groups section: factors rolled up under a name, with a condition each.
import type { Scorecard } from "../../../../core/schema/scorecard.ts";
import { NumberField, TextField } from "../../components/form-fields.tsx";
import { replaceAt, uniqueId } from "./draft.ts";

export function GroupsEditor(props: { card: Scorecard; onChange: (card: Scorecard) => void }) {
  const { card, onChange } = props;
  return (
    <fieldset>
      <legend>Groups (optional)</legend>
      <p class="muted small">
        A group's weight is shared by its factors in proportion to theirs (Usage, Support, Sentiment…). Choose each
        factor's group in the factor.
      </p>
      {card.groups.map((g, i) => {
        const path = `$.groups[${i}]`;
        return (
          <div class="field-row" key={g.id}>
            <TextField
              label={`Group ${i + 1}: label`}
              path={`${path}.label`}
              value={g.label}
              onInput={(label) => onChange({ ...card, groups: replaceAt(card.groups, i, { ...g, label }) })}
            />
            <NumberField
              label={`Group ${i + 1}: weight`}
              path={`${path}.weight`}
              value={g.weight}
              onChange={(w) =>
                onChange({ ...card, groups: replaceAt(card.groups, i, { ...g, weight: w ?? Number.NaN }) })
              }
            />
            <span class="muted small" id={`${path}-id`}>
              {card.factors.filter((f) => f.group === g.id).length} factors
            </span>
            <button
              type="button"
              class="secondary"
              onClick={() =>
                onChange({
                  ...card,
                  groups: card.groups.filter((_, j) => j !== i),
                  factors: card.factors.map((f) => {
                    if (f.group !== g.id) return f;
                    const { group: _g, ...rest } = f;
                    return rest;
                  }),
                })
              }
            >
              Remove group {i + 1}
            </button>
          </div>
        );
      })}
      <button
        type="button"
        class="secondary"
        onClick={() =>
          onChange({
            ...card,
            groups: [
              ...card.groups,
              {
                id: uniqueId(`group-${card.groups.length + 1}`, new Set(card.groups.map((g) => g.id))),
                label: `Group ${card.groups.length + 1}`,
                weight: 10,
              },
            ],
          })
        }
      >
        Add a group
      </button>
    </fieldset>
  );
}
