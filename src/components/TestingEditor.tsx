import React, { useState } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { Collapse, Combobox, ComboboxOption, InlineField, InlineFieldRow } from '@grafana/ui';

import { DataSource } from '../datasource';
import {
  DEFAULT_FAULTS,
  FAIL_SOURCE_OPTIONS,
  FailSource,
  FaultsNumberParam,
  MAX_FAIL_MESSAGE_LENGTH,
  MAX_QUERY_DELAY,
} from '../faults';
import { TickstreamQuery, TickstreamSettings } from '../types';
import { formatNumber } from '../validation';
import { DescribedInput } from './DescribedInput';
import { NumberField } from './NumberField';
import { OverlaysEditor } from './OverlaysEditor';
import { RowErrors } from './RowErrors';
import { numberInputText } from './numberInput';
import { useSectionEdits } from './useSectionEdits';

type Props = QueryEditorProps<DataSource, TickstreamQuery, TickstreamSettings>;

/** LABEL_WIDTH aligns the first field of each row with the main editor's rows. */
const LABEL_WIDTH = 18;

/** VARIABLE_HINT ends every field's tooltip here, as in QueryEditor: each accepts a dashboard variable. */
const VARIABLE_HINT = ' Or a dashboard variable, e.g. $fail, ${fail} or [[fail]].';

interface NumberSpec {
  name: FaultsNumberParam;
  label: string;
  tooltip: string;
  width: number;
}

const FAIL_PERCENT: NumberSpec = {
  name: 'failPercent',
  label: 'Fail (%)',
  tooltip:
    'Percent of evaluation times at which the query fails with Fail message. An evaluation time is the end of the range rounded down to the tick, and the seed picks which ones fail, so every Grafana instance and every retry agree. Default 0. A number from 0 to 100.' +
    VARIABLE_HINT,
  width: 10,
};

const DELAYS: readonly NumberSpec[] = [
  {
    name: 'queryDelay',
    label: 'Delay (ms)',
    tooltip: `Milliseconds the query waits before it answers: for testing timeouts, loading states and the alert evaluation timeout. Default 0. A whole number from 0 to ${formatNumber(MAX_QUERY_DELAY)}.${VARIABLE_HINT}`,
    width: 12,
  },
  {
    name: 'queryDelayJitter',
    label: 'Jitter (ms)',
    tooltip: `Up to this many milliseconds more, different for each evaluation time but the same on every retry. Default 0. A whole number from 0 to ${formatNumber(MAX_QUERY_DELAY)}.${VARIABLE_HINT}`,
    width: 12,
  },
];

const FAIL_SOURCE_TOOLTIP =
  'Whose error a failure is, which Grafana shows and counts differently. Default Downstream. ' +
  FAIL_SOURCE_OPTIONS.map((o) => `${o.label}: ${o.description}`).join(' ') +
  ' Or type a dashboard variable, e.g. $source.';

const FAIL_MESSAGE_TOOLTIP = `The error a failed evaluation shows, in the panel and in the alert rule. Empty: a sentence saying that Tickstream failed the query on purpose. At most ${MAX_FAIL_MESSAGE_LENGTH} characters; may hold dashboard variables.`;

const FAIL_SOURCE_COMBOBOX: Array<ComboboxOption<FailSource>> = FAIL_SOURCE_OPTIONS.map((o) => ({
  value: o.value,
  label: o.label,
  description: o.description,
}));

/** FIELDS are the fields of this section, whose errors it shows and which open it. */
const FIELDS = [
  'failPercent',
  'failSource',
  'failMessage',
  'queryDelay',
  'queryDelayJitter',
  'eventPeriod',
  'eventTitle',
  'exemplars',
  'exemplarUrl',
] as const;

/** summary is the closed section's label: what it does to the query, at a glance. */
function summary(query: TickstreamQuery): string {
  const parts: string[] = [];
  if (query.failPercent !== undefined && query.failPercent !== 0) {
    parts.push(`fails ${numberInputText(query.failPercent)} %`);
  }
  if (query.queryDelay !== undefined && query.queryDelay !== 0) {
    parts.push(`delay ${numberInputText(query.queryDelay)} ms`);
  }
  if (query.queryDelayJitter !== undefined && query.queryDelayJitter !== 0) {
    parts.push(`jitter ${numberInputText(query.queryDelayJitter)} ms`);
  }
  if (query.eventPeriod !== undefined && query.eventPeriod !== 0) {
    parts.push(`events every ${numberInputText(query.eventPeriod)} ms`);
  }
  if (query.exemplars !== undefined && query.exemplars !== 0) {
    parts.push(`${numberInputText(query.exemplars)} exemplars`);
  }
  return parts.length > 0 ? `Testing: ${parts.join(', ')}` : 'Testing';
}

/**
 * TestingEditor is the collapsible "Testing" section: what makes a query
 * fail (failPercent, failMessage, failSource) or answer late (queryDelay,
 * queryDelayJitter), and what it draws besides its series (OverlaysEditor:
 * events and exemplars), for testing alert rules and dashboards. It opens by
 * itself when the query sets any of its fields or one of them is wrong, so
 * that nothing it does is hidden. It runs the query as QueryEditor does: on
 * blur after an edit, at once on a pick, and only when the query is valid.
 */
export function TestingEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const edits = useSectionEdits(query, onChange, onRunQuery, datasource);
  const { invalid, idPrefix, errorId, describedBy, onBlur, onText } = edits;
  const [open, setOpen] = useState(() => FIELDS.some((f) => query[f] !== undefined));
  const onFailSource = (option: ComboboxOption<FailSource>) => {
    if (option.value !== query.failSource) {
      edits.choose({ ...query, failSource: option.value });
    }
  };
  const hasErrors = FIELDS.some(invalid);

  const numberField = (f: NumberSpec, first: boolean) => (
    <NumberField
      key={f.name}
      name={f.name}
      label={f.label}
      labelWidth={first ? LABEL_WIDTH : 'auto'}
      tooltip={f.tooltip}
      width={f.width}
      placeholder={formatNumber(DEFAULT_FAULTS[f.name])}
      query={query}
      edits={edits}
    />
  );

  return (
    <Collapse
      label={summary(query)}
      // A wrong field is never hidden: the section stays open while any of its fields is wrong.
      isOpen={open || hasErrors}
      // A click while a field is wrong leaves it open, also once the field is fixed.
      onToggle={() => setOpen(hasErrors || !open)}
    >
      <InlineFieldRow>
        {numberField(FAIL_PERCENT, true)}
        <InlineField
          label="Fail source"
          labelWidth="auto"
          tooltip={FAIL_SOURCE_TOOLTIP}
          invalid={invalid('failSource')}
        >
          <Combobox<FailSource>
            id={`${idPrefix}-failSource`}
            width={16}
            options={FAIL_SOURCE_COMBOBOX}
            // A stored value that is no source is shown as stored; null shows the placeholder.
            value={query.failSource === undefined ? DEFAULT_FAULTS.failSource : (query.failSource as FailSource | null)}
            placeholder="Choose a source"
            // A typed value is kept, so that a dashboard variable such as $source can name it.
            createCustomValue
            onChange={onFailSource}
          />
        </InlineField>
        <InlineField
          label="Fail message"
          labelWidth="auto"
          tooltip={FAIL_MESSAGE_TOOLTIP}
          invalid={invalid('failMessage')}
          grow
        >
          <DescribedInput
            id={`${idPrefix}-failMessage`}
            aria-invalid={invalid('failMessage')}
            describedBy={describedBy('failMessage')}
            placeholder="Tickstream failed this query on purpose"
            value={typeof query.failMessage === 'string' ? query.failMessage : ''}
            onChange={onText('failMessage')}
            onBlur={onBlur()}
          />
        </InlineField>
      </InlineFieldRow>
      <RowErrors errors={edits.rowErrors(['failPercent', 'failSource', 'failMessage'])} errorId={errorId} />
      <InlineFieldRow>{DELAYS.map((f, i) => numberField(f, i === 0))}</InlineFieldRow>
      <RowErrors errors={edits.rowErrors(['queryDelay', 'queryDelayJitter'])} errorId={errorId} />
      <OverlaysEditor query={query} onChange={onChange} onRunQuery={onRunQuery} datasource={datasource} />
    </Collapse>
  );
}
