import React from 'react';
import { QueryEditorProps } from '@grafana/data';
import { Combobox, ComboboxOption, InlineField, InlineFieldRow } from '@grafana/ui';

import { DataSource } from '../datasource';
import { DEFAULT_GAPS, Kind, KIND_OPTIONS } from '../gaps';
import { DEFAULT_QUERY, GapsNumberParam, TickstreamQuery, TickstreamSettings } from '../types';
import { formatNumber } from '../validation';
import { referencedVariables } from '../variables';
import { DescribedInput } from './DescribedInput';
import { NumberField } from './NumberField';
import { RowErrors } from './RowErrors';
import { useOncePerChoice } from './useOncePerChoice';
import { useSectionEdits } from './useSectionEdits';

type Props = QueryEditorProps<DataSource, TickstreamQuery, TickstreamSettings>;

/** LABEL_WIDTH aligns the first field of each row with the main editor's rows. */
const LABEL_WIDTH = 18;

type TextField = 'values' | 'states';

/** VARIABLE_HINT ends every field's tooltip here, as in QueryEditor: each accepts a dashboard variable. */
const VARIABLE_HINT = ' Or a dashboard variable, e.g. $drop, ${drop} or [[drop]].';

const NUMBER_FIELDS: ReadonlyArray<{ name: GapsNumberParam; label: string; tooltip: string; width: number }> = [
  {
    name: 'dropPercent',
    label: 'Drop (%)',
    tooltip:
      'Percent of the points that are null, the same in every viewer and in history (a missing line for logs). Default 0. A number from 0 to 100.' +
      VARIABLE_HINT,
    width: 10,
  },
  {
    name: 'outagePeriod',
    label: 'Outage every (ms)',
    tooltip:
      'Milliseconds from one outage to the next, counted from the Unix epoch; during an outage there are no points at all, so an alert rule goes to No Data. Default 0 (none).' +
      VARIABLE_HINT,
    width: 14,
  },
  {
    name: 'outageDuration',
    label: 'Outage for (ms)',
    tooltip:
      'Milliseconds without points at the start of each outage period: more than 0 and less than the period. Default 0 (none).' +
      VARIABLE_HINT,
    width: 14,
  },
];

const KIND_TOOLTIP =
  `What the series carry. Default ${KIND_OPTIONS[0].label}. ` +
  KIND_OPTIONS.map((o) => `${o.label}: ${o.description}`).join(' ') +
  ' Or type a dashboard variable, e.g. $kind.';

const KIND_COMBOBOX: Array<ComboboxOption<Kind>> = KIND_OPTIONS.map((o) => ({
  value: o.value,
  label: o.label,
  description: o.description,
}));

/**
 * GapsEditor edits the gaps fields: nulls, outages, the kind, and the csv
 * shape's values and the state kind's names where they apply. Values and
 * States show only for their shape and kind (or a shape or kind from a
 * dashboard variable, which may name them), or when the query holds one
 * that does not apply, so that its error can be seen and fixed. It runs
 * the query as QueryEditor does: on blur after an edit, at once on a pick,
 * and only when the query is valid.
 */
export function GapsEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const edits = useSectionEdits(query, onChange, onRunQuery, datasource);
  const { invalid, idPrefix, errorId, describedBy, onBlur, onText } = edits;
  const onKind = useOncePerChoice(query, (option: ComboboxOption<Kind>) => {
    if (option.value !== query.kind) {
      edits.choose({ ...query, kind: option.value });
    }
  });

  const shape = query.shape ?? DEFAULT_QUERY.shape;
  const kind = query.kind ?? DEFAULT_GAPS.kind;
  // A shape or kind from a dashboard variable may be csv or state once interpolated, so its values or states stay editable.
  const shapeFromVariable = typeof shape === 'string' && referencedVariables(shape).length > 0;
  const kindFromVariable = typeof kind === 'string' && referencedVariables(kind).length > 0;
  const holds = (name: TextField) => query[name] !== undefined && query[name] !== '';
  const texts: ReadonlyArray<{ name: TextField; label: string; tooltip: string; placeholder: string; shown: boolean }> =
    [
      {
        name: 'values',
        label: 'Values',
        tooltip:
          'The csv shape’s numbers, separated by commas: the value at tick k is number k mod n, exactly, on the epoch grid. Up to 1000 finite numbers between the limits.',
        placeholder: '1,2,3,5,8',
        shown: shape === 'csv' || shapeFromVariable || holds('values'),
      },
      {
        name: 'states',
        label: 'States',
        tooltip:
          'The state kind’s names, separated by commas, lowest band first: letters, digits, _ and - only. The limits are split into as many equal bands.',
        placeholder: 'OK,WARN,CRIT',
        shown: kind === 'state' || kindFromVariable || holds('states'),
      },
    ];
  const fields: string[] = [
    ...NUMBER_FIELDS.map((f) => f.name),
    'kind',
    ...texts.filter((t) => t.shown).map((t) => t.name),
  ];
  const rowErrors = edits.rowErrors(fields);

  return (
    <div>
      <InlineFieldRow>
        {NUMBER_FIELDS.map((f, i) => (
          <NumberField
            key={f.name}
            name={f.name}
            label={f.label}
            labelWidth={i === 0 ? LABEL_WIDTH : 'auto'}
            tooltip={f.tooltip}
            width={f.width}
            placeholder={formatNumber(DEFAULT_GAPS[f.name])}
            query={query}
            edits={edits}
          />
        ))}
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField label="Kind" labelWidth={LABEL_WIDTH} tooltip={KIND_TOOLTIP} invalid={invalid('kind')}>
          <Combobox<Kind>
            id={`${idPrefix}-kind`}
            width={16}
            options={KIND_COMBOBOX}
            // A stored value that is no kind is shown as stored; null shows the placeholder.
            value={query.kind === undefined ? DEFAULT_GAPS.kind : (query.kind as Kind | null)}
            placeholder="Choose a kind"
            // A typed value is kept as the kind, so that a dashboard variable such as $kind can name it.
            createCustomValue
            onChange={onKind}
          />
        </InlineField>
        {texts
          .filter((t) => t.shown)
          .map((t) => (
            <InlineField
              key={t.name}
              label={t.label}
              labelWidth="auto"
              tooltip={t.tooltip}
              invalid={invalid(t.name)}
              grow
            >
              <DescribedInput
                id={`${idPrefix}-${t.name}`}
                aria-invalid={invalid(t.name)}
                describedBy={describedBy(t.name)}
                placeholder={t.placeholder}
                value={typeof query[t.name] === 'string' ? query[t.name] : ''}
                onChange={onText(t.name)}
                onBlur={onBlur()}
              />
            </InlineField>
          ))}
      </InlineFieldRow>
      <RowErrors errors={rowErrors} errorId={errorId} />
    </div>
  );
}
