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
  const text = (name: 'labels' | 'labelKey') => (event: ChangeEvent<HTMLInputElement>) =>
    setDraft({ ...draft, [name]: event.target.value });

  return (
    <Stack direction="column" gap={0}>
      <InlineFieldRow>
        <InlineField
          label="Series"
          labelWidth={14}
          tooltip={`How many series the labels are worked out for. Default ${formatNumber(DEFAULT_QUERY.series)}.`}
          invalid={errors.some((e) => e.field === 'series')}
        >
          <Input
            id="tickstream-variable-series"
            width={10}
            placeholder={formatNumber(DEFAULT_QUERY.series)}
            value={numberInputText(draft.series)}
            onChange={(e: ChangeEvent<HTMLInputElement>) =>
              setDraft({ ...draft, series: parseNumberInput(e.target.value) })
            }
            onBlur={save}
          />
        </InlineField>
        <InlineField
          label="Labels"
          labelWidth="auto"
          tooltip="The query's labels, e.g. host=web-$seriesIndex, dc=eu: $seriesIndex becomes each series' number, 1 to Series."
          invalid={errors.some((e) => e.field === 'labels')}
        >
          <Input
            id="tickstream-variable-labels"
            width={40}
            value={draft.labels ?? ''}
            onChange={text('labels')}
            onBlur={save}
          />
        </InlineField>
        <InlineField
          label="Values of label"
          labelWidth="auto"
          tooltip="The label key whose values, across the series in order and each once, become the variable's values, e.g. host."
          invalid={labelKeyMissing}
        >
          <Input
            id="tickstream-variable-labelKey"
            width={16}
            value={draft.labelKey ?? ''}
            onChange={text('labelKey')}
            onBlur={save}
          />
        </InlineField>
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
