import React, { ChangeEvent, useMemo, useRef } from 'react';
import { QueryEditorProps } from '@grafana/data';
import {
  Alert,
  Box,
  Combobox,
  ComboboxOption,
  FieldValidationMessage,
  InlineField,
  InlineFieldRow,
  Stack,
} from '@grafana/ui';

import { DataSource } from '../datasource';
import {
  DEFAULT_QUERY,
  EffectiveSettings,
  isPeriodic,
  NumericParam,
  Shape,
  SHAPE_OPTIONS,
  TickstreamQuery,
  TickstreamSettings,
} from '../types';
import { FieldError, formatNumber, MAX_PERIOD, MAX_TICK_INTERVAL } from '../validation';
import { DescribedInput } from './DescribedInput';
import { displayValue } from './displayValue';
import { GapsEditor } from './GapsEditor';

type Props = QueryEditorProps<DataSource, TickstreamQuery, TickstreamSettings>;

interface NumberSpec {
  label: string;
  tooltip: string;
  /** Widths are multiples of 8 px, as everywhere in @grafana/ui; 'auto' labels fit their text. */
  labelWidth: number | 'auto';
  width: number;
  /** step "any" lets the browser accept fractions without flagging them; whole-number fields step by 1. */
  step: string;
  min?: number;
  max?: number;
}

/** FIRST_LABEL_WIDTH aligns the first field of each row. */
const FIRST_LABEL_WIDTH = 18;

/**
 * ROWS lays the editor out as Grafana's own editors do: one row for timing,
 * range and load (tick and series make the points per second together, so
 * their errors sit side by side), one for the signal's form. `period` only
 * appears for periodic shapes.
 */
const ROWS: ReadonlyArray<{ key: string; fields: ReadonlyArray<NumericParam | 'shape'> }> = [
  { key: 'timing', fields: ['tickInterval', 'lowerLimit', 'upperLimit', 'series'] },
  { key: 'signal', fields: ['shape', 'period', 'noise', 'seed'] },
];

const SHAPE_TOOLTIP =
  `The form of the signal between the limits. Default ${SHAPE_OPTIONS[0].label}. ` +
  SHAPE_OPTIONS.map((o) => `${o.label}: ${o.description}`).join(' ');

const COMBOBOX_OPTIONS: Array<ComboboxOption<Shape>> = SHAPE_OPTIONS.map((o) => ({
  value: o.value,
  label: o.label,
  description: o.description,
}));

function numberSpecs(settings: EffectiveSettings): Record<NumericParam, NumberSpec> {
  return {
    tickInterval: {
      label: 'Tick interval (ms)',
      tooltip:
        `Milliseconds between points, on a grid aligned to the Unix epoch. Default ${formatNumber(DEFAULT_QUERY.tickInterval)}. ` +
        `A whole number from ${formatNumber(settings.minTickInterval)} (this data source's minimum) to ${formatNumber(MAX_TICK_INTERVAL)} (24 h); ` +
        `series × 1000 / tick interval may not exceed this data source's ${formatNumber(settings.maxPointsPerSecond)} points per second.`,
      labelWidth: FIRST_LABEL_WIDTH,
      width: 12,
      step: '1',
      min: settings.minTickInterval,
      max: MAX_TICK_INTERVAL,
    },
    lowerLimit: {
      label: 'Lower limit',
      tooltip: `Smallest value produced. Default ${formatNumber(DEFAULT_QUERY.lowerLimit)}. Any finite number not greater than the upper limit.`,
      labelWidth: 'auto',
      width: 12,
      step: 'any',
    },
    upperLimit: {
      label: 'Upper limit',
      tooltip: `Largest value produced. Default ${formatNumber(DEFAULT_QUERY.upperLimit)}. Any finite number not less than the lower limit.`,
      labelWidth: 'auto',
      width: 12,
      step: 'any',
    },
    series: {
      label: 'Series',
      tooltip:
        `Independent series in the result, labelled series="1" to series="N"; each adds 1000 / tick interval points per second. ` +
        `Default ${formatNumber(DEFAULT_QUERY.series)}. A whole number from 1 to ${formatNumber(settings.maxSeries)} (this data source's maxSeries).`,
      labelWidth: 'auto',
      width: 8,
      step: '1',
      min: 1,
      max: settings.maxSeries,
    },
    period: {
      label: 'Period (ms)',
      tooltip:
        `Milliseconds per cycle of the periodic shape; cycles are aligned to the Unix epoch, so every panel shows the same phase. ` +
        `Default ${formatNumber(DEFAULT_QUERY.period)} (1 min). A whole number from 1 to ${formatNumber(MAX_PERIOD)} (365 days).`,
      labelWidth: 'auto',
      width: 14,
      step: '1',
      min: 1,
      max: MAX_PERIOD,
    },
    noise: {
      label: 'Noise',
      tooltip:
        `Deterministic jitter added to every value, as a fraction of the range (upper limit − lower limit); values stay within the limits. ` +
        `Default ${formatNumber(DEFAULT_QUERY.noise)} (none). A number from 0 to 1.`,
      labelWidth: 'auto',
      width: 8,
      step: '0.01',
      min: 0,
      max: 1,
    },
    seed: {
      label: 'Seed',
      tooltip:
        `Selects the random sequence (of the random and walk shapes, and of the noise): the same seed and options give the same values in every panel. ` +
        `Default ${formatNumber(DEFAULT_QUERY.seed)}. A whole number from 0 to ${formatNumber(Number.MAX_SAFE_INTEGER)}.`,
      labelWidth: 'auto',
      width: 20,
      step: '1',
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    },
  };
}

/**
 * QueryEditor edits a stream's options in two rows. Every keystroke updates
 * the query; the query runs when a changed field loses focus and the query
 * is valid, so a half-typed number never starts a stream. Choosing a shape
 * runs it at once (when valid), as a picker has no half-typed state.
 * Problems are flagged on their field and spelled out under its row, with
 * the backend's own words.
 */
export function QueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const errors = useMemo(() => datasource.validate(query), [datasource, query]);
  const specs = useMemo(() => numberSpecs(datasource.settings), [datasource]);
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

  const onShapeChange = (option: ComboboxOption<Shape>) => {
    if (option.value === query.shape) {
      return;
    }
    const next = { ...query, shape: option.value };
    onChange(next);
    if (datasource.validate(next).length === 0) {
      dirty.current = false;
      onRunQuery();
    } else {
      // Another field is still wrong: run once it is fixed and loses focus.
      dirty.current = true;
    }
  };

  const errorsOf = (field: string): FieldError[] => errors.filter((e) => e.field === field);
  const queryErrors = errorsOf('query');
  const idPrefix = `tickstream-${query.refId}`;
  const shapeShown = query.shape === undefined ? DEFAULT_QUERY.shape : query.shape;
  const visible = (name: NumericParam | 'shape') => name !== 'period' || isPeriodic(shapeShown);
  const errorId = (name: string, index: number) => `${idPrefix}-${name}-error-${index}`;
  const describedBy = (name: string) =>
    errors
      .map((e, i) => (e.field === name ? errorId(name, i) : ''))
      .filter(Boolean)
      .join(' ') || undefined;

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
      {ROWS.map((row) => {
        const fields = row.fields.filter(visible);
        const rowErrors = errors
          .map((e, index) => ({ ...e, index }))
          .filter((e) => (fields as readonly string[]).includes(e.field));
        return (
          <div key={row.key}>
            <InlineFieldRow>
              {fields.map((name) => {
                const invalid = errorsOf(name).length > 0;
                if (name === 'shape') {
                  return (
                    <InlineField
                      key={name}
                      label="Shape"
                      labelWidth={FIRST_LABEL_WIDTH}
                      tooltip={SHAPE_TOOLTIP}
                      invalid={invalid}
                    >
                      <Combobox<Shape>
                        id={`${idPrefix}-shape`}
                        width={16}
                        options={COMBOBOX_OPTIONS}
                        // A stored value that is no shape ("sin", 3) is shown as stored; null shows the placeholder.
                        value={query.shape === undefined ? DEFAULT_QUERY.shape : (query.shape as Shape | null)}
                        placeholder="Choose a shape"
                        onChange={onShapeChange}
                      />
                    </InlineField>
                  );
                }
                const spec = specs[name];
                return (
                  <InlineField
                    key={name}
                    label={spec.label}
                    labelWidth={spec.labelWidth}
                    tooltip={spec.tooltip}
                    invalid={invalid}
                  >
                    <DescribedInput
                      id={`${idPrefix}-${name}`}
                      type="number"
                      width={spec.width}
                      step={spec.step}
                      min={spec.min}
                      max={spec.max}
                      aria-invalid={invalid}
                      describedBy={describedBy(name)}
                      placeholder={formatNumber(DEFAULT_QUERY[name])}
                      value={displayValue(query[name])}
                      onChange={onFieldChange(name)}
                      onBlur={onBlur}
                    />
                  </InlineField>
                );
              })}
            </InlineFieldRow>
            {rowErrors.length > 0 && (
              // Under the row rather than under each field: messages are long, and two fields of one row may be wrong at once.
              <Box marginBottom={1}>
                {rowErrors.map((e) => (
                  <div key={e.index} id={errorId(e.field, e.index)}>
                    <FieldValidationMessage>{e.message}</FieldValidationMessage>
                  </div>
                ))}
              </Box>
            )}
          </div>
        );
      })}
      <GapsEditor query={query} onChange={onChange} onRunQuery={onRunQuery} datasource={datasource} />
    </Stack>
  );
}
