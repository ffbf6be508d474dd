import React, { ChangeEvent, useMemo, useRef } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { Alert, InlineField, Input, Stack } from '@grafana/ui';

import { DataSource } from '../datasource';
import { DEFAULT_QUERY, NumericParam, TickstreamQuery, TickstreamSettings } from '../types';
import { FieldError, formatNumber, MAX_TICK_INTERVAL } from '../validation';
import { displayValue } from './displayValue';

type Props = QueryEditorProps<DataSource, TickstreamQuery, TickstreamSettings>;

interface FieldSpec {
  name: NumericParam;
  label: string;
  tooltip: string;
  width: number;
  /** step "any" lets the browser accept fractions without flagging them; whole-number fields step by 1. */
  step: string;
  min?: number;
  max?: number;
}

const LABEL_WIDTH = 18;

function fieldSpecs(minTickInterval: number): FieldSpec[] {
  return [
    {
      name: 'tickInterval',
      label: 'Tick interval (ms)',
      tooltip:
        `Milliseconds between points. Default ${formatNumber(DEFAULT_QUERY.tickInterval)}. ` +
        `A whole number from ${formatNumber(minTickInterval)} (this data source's minimum) to ${formatNumber(MAX_TICK_INTERVAL)} (24 h).`,
      width: 16,
      step: '1',
      min: minTickInterval,
      max: MAX_TICK_INTERVAL,
    },
    {
      name: 'lowerLimit',
      label: 'Lower limit',
      tooltip: `Smallest value produced. Default ${formatNumber(DEFAULT_QUERY.lowerLimit)}. Any finite number not greater than the upper limit.`,
      width: 16,
      step: 'any',
    },
    {
      name: 'upperLimit',
      label: 'Upper limit',
      tooltip: `Largest value produced. Default ${formatNumber(DEFAULT_QUERY.upperLimit)}. Any finite number not less than the lower limit.`,
      width: 16,
      step: 'any',
    },
    {
      name: 'seed',
      label: 'Seed',
      tooltip:
        `Selects the random sequence: the same seed and limits give the same values in every panel. ` +
        `Default ${formatNumber(DEFAULT_QUERY.seed)}. A whole number from 0 to ${formatNumber(Number.MAX_SAFE_INTEGER)}.`,
      width: 24,
      step: '1',
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    },
  ];
}

/**
 * QueryEditor edits the four numbers of a stream. Every keystroke updates the
 * query; the query runs when a changed field loses focus and the query is
 * valid, so a half-typed number never starts a stream. Problems are shown
 * on the field they concern, with the backend's own words.
 */
export function QueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const errors = useMemo(() => datasource.validate(query), [datasource, query]);
  const specs = useMemo(() => fieldSpecs(datasource.settings.minTickInterval), [datasource]);
  // dirty is set by an edit and cleared when the query runs, so tabbing through untouched fields does not re-query.
  const dirty = useRef(false);

  const onFieldChange = (name: NumericParam) => (event: ChangeEvent<HTMLInputElement>) => {
    dirty.current = true;
    // An emptied or unparsable input gives NaN, kept as such: it is an error, never a silent 0 or default.
    onChange({ ...query, [name]: event.target.valueAsNumber });
  };

  const onBlur = () => {
    if (dirty.current && errors.length === 0) {
      dirty.current = false;
      onRunQuery();
    }
  };

  const errorsOf = (field: string): FieldError[] => errors.filter((e) => e.field === field);
  const queryErrors = errorsOf('query');
  const idPrefix = `tickstream-${query.refId}`;

  return (
    <Stack direction="column" gap={0}>
      {datasource.settingsErrors.length > 0 && (
        <Alert severity="error" title="This data source's settings are invalid">
          {datasource.settingsErrors.map((e) => (
            <div key={e.field}>{e.message}</div>
          ))}
          Every query of this data source fails until an administrator fixes its configuration.
        </Alert>
      )}
      {queryErrors.length > 0 && (
        <Alert severity="error" title="Invalid query">
          {queryErrors.map((e) => (
            <div key={e.message}>{e.message}</div>
          ))}
        </Alert>
      )}
      {specs.map((spec) => {
        const fieldErrors = errorsOf(spec.name);
        return (
          <InlineField
            key={spec.name}
            label={spec.label}
            labelWidth={LABEL_WIDTH}
            tooltip={spec.tooltip}
            invalid={fieldErrors.length > 0}
            error={fieldErrors.map((e) => e.message).join('; ')}
            validationMessageHorizontalOverflow
          >
            <Input
              id={`${idPrefix}-${spec.name}`}
              type="number"
              width={spec.width}
              step={spec.step}
              min={spec.min}
              max={spec.max}
              aria-invalid={fieldErrors.length > 0}
              placeholder={formatNumber(DEFAULT_QUERY[spec.name])}
              value={displayValue(query[spec.name])}
              onChange={onFieldChange(spec.name)}
              onBlur={onBlur}
            />
          </InlineField>
        );
      })}
    </Stack>
  );
}
