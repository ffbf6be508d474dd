import React, { ChangeEvent, useMemo, useState } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { FieldValidationMessage, InlineField, InlineFieldRow, Input, Stack } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { DEFAULT_QUERY, TickstreamQuery, TickstreamSettings } from '../types';
import { formatNumber } from '../validation';
import { numberInputText, parseNumberInput } from './numberInput';

type Props = QueryEditorProps<DataSource, TickstreamQuery, TickstreamSettings, TickstreamQuery>;

/**
 * VariableQueryEditor edits a variable query: the series and labels of a
 * Tickstream query, and the label whose values become the variable's.
 * The query is saved (and the preview refreshed) when a field loses focus.
 */
export function VariableQueryEditor({ query, onChange, datasource }: Props) {
  const [draft, setDraft] = useState<TickstreamQuery>(query);
  const errors = useMemo(() => datasource.validate(draft), [datasource, draft]);
  const labelKeyMissing = !draft.labelKey;
  const save = () => onChange({ ...draft, refId: draft.refId ?? 'variable' });
  const fields: Array<{
    name: 'series' | 'labels' | 'labelKey';
    label: string;
    tooltip: string;
    width: number;
    invalid: boolean;
    value: number | string;
    parse: (text: string) => TickstreamQuery[keyof TickstreamQuery];
  }> = [
    {
      name: 'series',
      label: 'Series',
      tooltip: `How many series the labels are worked out for. Default ${formatNumber(DEFAULT_QUERY.series)}.`,
      width: 10,
      invalid: errors.some((e) => e.field === 'series'),
      value: numberInputText(draft.series),
      parse: parseNumberInput,
    },
    {
      name: 'labels',
      label: 'Labels',
      tooltip:
        "The query's labels, e.g. host=web-$seriesIndex, dc=eu: $seriesIndex becomes each series' number, 1 to Series.",
      width: 40,
      invalid: errors.some((e) => e.field === 'labels'),
      value: draft.labels ?? '',
      parse: (text) => text,
    },
    {
      name: 'labelKey',
      label: 'Values of label',
      tooltip:
        "The label key whose values, across the series in order and each once, become the variable's values, e.g. host.",
      width: 16,
      invalid: labelKeyMissing,
      value: draft.labelKey ?? '',
      parse: (text) => text,
    },
  ];

  return (
    <Stack direction="column" gap={0}>
      <InlineFieldRow>
        {fields.map((f, i) => (
          <InlineField
            key={f.name}
            label={f.label}
            labelWidth={i === 0 ? 14 : 'auto'}
            tooltip={f.tooltip}
            invalid={f.invalid}
          >
            <Input
              id={`tickstream-variable-${f.name}`}
              width={f.width}
              placeholder={f.name === 'series' ? formatNumber(DEFAULT_QUERY.series) : undefined}
              value={f.value}
              onChange={(e: ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [f.name]: f.parse(e.target.value) })}
              onBlur={save}
            />
          </InlineField>
        ))}
      </InlineFieldRow>
      {errors.map((e) => (
        <FieldValidationMessage key={e.message}>{e.message}</FieldValidationMessage>
      ))}
      {labelKeyMissing && (
        <FieldValidationMessage>Name the label whose values the variable lists, e.g. host.</FieldValidationMessage>
      )}
    </Stack>
  );
}
