import React, { useMemo } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { Alert, Combobox, ComboboxOption, InlineField, InlineFieldRow, Stack } from '@grafana/ui';

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
import { MAX_ALIAS_LENGTH, MAX_LABELS_LENGTH } from '../labels';
import { formatNumber, MAX_PERIOD, MAX_TICK_INTERVAL } from '../validation';
import { referencedVariables } from '../variables';
import { DescribedInput } from './DescribedInput';
import { GapsEditor } from './GapsEditor';
import { NumberField } from './NumberField';
import { RowErrors } from './RowErrors';
import { TestingEditor } from './TestingEditor';
import { useOncePerChoice } from './useOncePerChoice';
import { useSectionEdits } from './useSectionEdits';

type Props = QueryEditorProps<DataSource, TickstreamQuery, TickstreamSettings>;

interface NumberSpec {
  label: string;
  tooltip: string;
  /** Widths are multiples of 8 px, as everywhere in @grafana/ui; 'auto' labels fit their text. */
  labelWidth: number | 'auto';
  width: number;
}

/** FIRST_LABEL_WIDTH aligns the first field of each row. */
const FIRST_LABEL_WIDTH = 18;

/** TextParam names the query fields edited as free text. */
type TextParam = 'labels' | 'alias';

/** VARIABLE_HINT ends every numeric field's tooltip: each accepts a dashboard variable. */
const VARIABLE_HINT = ' Or a dashboard variable, e.g. $tick, ${tick} or [[tick]].';

/**
 * TEXT_SPECS are the labels and alias fields; their tooltips give the
 * syntax, since neither has a picker.
 */
const TEXT_SPECS: Record<TextParam, NumberSpec & { placeholder: string }> = {
  labels: {
    label: 'Labels',
    tooltip:
      "Labels of every series, as comma-separated key=value pairs (TestData's syntax): $seriesIndex in a value becomes " +
      "the series' number, 1 to N, e.g. host=web-$seriesIndex, dc=eu. Keys are Prometheus label names; with several series " +
      `the labels must tell them apart. Default none (series="1" … series="N" with several series). At most ${MAX_LABELS_LENGTH} characters; ` +
      'dashboard variables are replaced.',
    labelWidth: FIRST_LABEL_WIDTH,
    width: 48,
    placeholder: 'host=web-$seriesIndex, dc=eu',
  },
  alias: {
    label: 'Alias',
    tooltip:
      'Display name of each series: $seriesIndex becomes its number and ${key} the value of its label key, e.g. cpu ${host}. ' +
      `Default none (Grafana names the series). At most ${MAX_ALIAS_LENGTH} characters; dashboard variables are replaced ` +
      '(a dashboard variable named like a label key wins).',
    labelWidth: 'auto',
    width: 24,
    placeholder: 'cpu ${host}',
  },
};

/**
 * ROWS lays the editor out as Grafana's own editors do: one row for timing,
 * range and load (tick and series make the points per second together, so
 * their errors sit side by side), one for the signal's form. `period` only
 * appears for periodic shapes.
 */
const ROWS: ReadonlyArray<{ key: string; fields: ReadonlyArray<NumericParam | TextParam | 'shape'> }> = [
  { key: 'timing', fields: ['tickInterval', 'lowerLimit', 'upperLimit', 'series'] },
  { key: 'signal', fields: ['shape', 'period', 'noise', 'seed'] },
  { key: 'names', fields: ['labels', 'alias'] },
];

const SHAPE_TOOLTIP =
  `The form of the signal between the limits. Default ${SHAPE_OPTIONS[0].label}. ` +
  SHAPE_OPTIONS.map((o) => `${o.label}: ${o.description}`).join(' ') +
  ' Or type a dashboard variable, e.g. $shape.';

const COMBOBOX_OPTIONS: Array<ComboboxOption<Shape>> = SHAPE_OPTIONS.map((o) => ({
  value: o.value,
  label: o.label,
  description: o.description,
}));

function numberSpecs(settings: EffectiveSettings): Record<NumericParam, NumberSpec> {
  const specs: Record<NumericParam, NumberSpec> = {
    tickInterval: {
      label: 'Tick interval (ms)',
      tooltip:
        `Milliseconds between points, on a grid aligned to the Unix epoch. Default ${formatNumber(DEFAULT_QUERY.tickInterval)}. ` +
        `A whole number from ${formatNumber(settings.minTickInterval)} (this data source's minimum) to ${formatNumber(MAX_TICK_INTERVAL)} (24 h); ` +
        `series × 1000 / tick interval may not exceed this data source's ${formatNumber(settings.maxPointsPerSecond)} points per second.`,
      labelWidth: FIRST_LABEL_WIDTH,
      width: 12,
    },
    lowerLimit: {
      label: 'Lower limit',
      tooltip: `Smallest value produced. Default ${formatNumber(DEFAULT_QUERY.lowerLimit)}. Any finite number not greater than the upper limit.`,
      labelWidth: 'auto',
      width: 12,
    },
    upperLimit: {
      label: 'Upper limit',
      tooltip: `Largest value produced. Default ${formatNumber(DEFAULT_QUERY.upperLimit)}. Any finite number not less than the lower limit.`,
      labelWidth: 'auto',
      width: 12,
    },
    series: {
      label: 'Series',
      tooltip:
        `Independent series in the result, labelled series="1" to series="N" unless Labels say otherwise; each adds 1000 / tick interval points per second. ` +
        `Default ${formatNumber(DEFAULT_QUERY.series)}. A whole number from 1 to ${formatNumber(settings.maxSeries)} (this data source's maxSeries).`,
      labelWidth: 'auto',
      width: 8,
    },
    period: {
      label: 'Period (ms)',
      tooltip:
        `Milliseconds per cycle of the periodic shape; cycles are aligned to the Unix epoch, so every panel shows the same phase. ` +
        `Default ${formatNumber(DEFAULT_QUERY.period)} (1 min). A whole number from 1 to ${formatNumber(MAX_PERIOD)} (365 days).`,
      labelWidth: 'auto',
      width: 14,
    },
    noise: {
      label: 'Noise',
      tooltip:
        `Deterministic jitter added to every value, as a fraction of the range (upper limit − lower limit); values stay within the limits. ` +
        `Default ${formatNumber(DEFAULT_QUERY.noise)} (none). A number from 0 to 1.`,
      labelWidth: 'auto',
      width: 8,
    },
    seed: {
      label: 'Seed',
      tooltip:
        `Selects the random sequence (of the random and walk shapes, and of the noise): the same seed and options give the same values in every panel. ` +
        `Default ${formatNumber(DEFAULT_QUERY.seed)}. A whole number from 0 to ${formatNumber(Number.MAX_SAFE_INTEGER)}.`,
      labelWidth: 'auto',
      width: 20,
    },
  };
  for (const spec of Object.values(specs)) {
    spec.tooltip += VARIABLE_HINT;
  }
  return specs;
}

/**
 * QueryEditor edits a stream's options in two rows. Every keystroke updates
 * the query; the query runs when a changed field loses focus and the query
 * is valid, so a half-typed number never starts a stream. Choosing a shape
 * runs it at once (when valid), as a picker has no half-typed state; a
 * value typed into the picker (a dashboard variable such as $shape) is
 * kept as the shape.
 * Problems are flagged on their field and spelled out under its row, with
 * the backend's own words.
 */
export function QueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const edits = useSectionEdits(query, onChange, onRunQuery, datasource);
  const { errors, invalid, idPrefix, errorId, describedBy, onBlur, onText } = edits;
  const specs = useMemo(() => numberSpecs(datasource.settings), [datasource]);
  const onShapeChange = useOncePerChoice(query, (option: ComboboxOption<Shape>) => {
    if (option.value !== query.shape) {
      edits.choose({ ...query, shape: option.value });
    }
  });

  const queryErrors = errors.filter((e) => e.field === 'query');
  const shapeShown = query.shape === undefined ? DEFAULT_QUERY.shape : query.shape;
  // A shape from a dashboard variable may be periodic once interpolated, so its period stays editable.
  const shapeFromVariable = typeof shapeShown === 'string' && referencedVariables(shapeShown).length > 0;
  const visible = (name: NumericParam | TextParam | 'shape') =>
    name !== 'period' || isPeriodic(shapeShown) || shapeFromVariable;

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
        const rowErrors = edits.rowErrors(fields);
        return (
          <div key={row.key}>
            <InlineFieldRow>
              {fields.map((name) => {
                if (name === 'shape') {
                  return (
                    <InlineField
                      key={name}
                      label="Shape"
                      labelWidth={FIRST_LABEL_WIDTH}
                      tooltip={SHAPE_TOOLTIP}
                      invalid={invalid(name)}
                    >
                      <Combobox<Shape>
                        id={`${idPrefix}-shape`}
                        width={16}
                        options={COMBOBOX_OPTIONS}
                        // A stored value that is no shape ("sin", 3) is shown as stored; null shows the placeholder.
                        value={query.shape === undefined ? DEFAULT_QUERY.shape : (query.shape as Shape | null)}
                        placeholder="Choose a shape"
                        // A typed value is kept as the shape, so that a dashboard variable such as $shape can name it.
                        createCustomValue
                        onChange={onShapeChange}
                      />
                    </InlineField>
                  );
                }
                if (name !== 'labels' && name !== 'alias') {
                  return (
                    <NumberField
                      key={name}
                      name={name}
                      label={specs[name].label}
                      labelWidth={specs[name].labelWidth}
                      tooltip={specs[name].tooltip}
                      width={specs[name].width}
                      placeholder={formatNumber(DEFAULT_QUERY[name])}
                      query={query}
                      edits={edits}
                    />
                  );
                }
                const spec = TEXT_SPECS[name];
                return (
                  <InlineField
                    key={name}
                    label={spec.label}
                    labelWidth={spec.labelWidth}
                    tooltip={spec.tooltip}
                    invalid={invalid(name)}
                  >
                    <DescribedInput
                      id={`${idPrefix}-${name}`}
                      type="text"
                      width={spec.width}
                      aria-invalid={invalid(name)}
                      describedBy={describedBy(name)}
                      placeholder={spec.placeholder}
                      value={typeof query[name] === 'string' ? query[name] : ''}
                      onChange={onText(name)}
                      onBlur={onBlur()}
                    />
                  </InlineField>
                );
              })}
            </InlineFieldRow>
            <RowErrors errors={rowErrors} errorId={errorId} />
          </div>
        );
      })}
      <GapsEditor query={query} onChange={onChange} onRunQuery={onRunQuery} datasource={datasource} />
      <TestingEditor query={query} onChange={onChange} onRunQuery={onRunQuery} datasource={datasource} />
    </Stack>
  );
}
