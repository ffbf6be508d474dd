import React from 'react';
import { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow } from '@grafana/ui';

import { DataSource } from '../datasource';
import { DEFAULT_EVENT_TITLE, DEFAULT_OVERLAYS } from '../overlays';
import { OverlayNumberParam, TickstreamQuery, TickstreamSettings } from '../types';
import { formatNumber } from '../validation';
import { DescribedInput } from './DescribedInput';
import { NumberField } from './NumberField';
import { RowErrors } from './RowErrors';
import { useSectionEdits } from './useSectionEdits';

type Props = QueryEditorProps<DataSource, TickstreamQuery, TickstreamSettings>;

/** LABEL_WIDTH aligns the first field of each row with the main editor's rows. */
const LABEL_WIDTH = 18;

type TextField = 'eventTitle' | 'exemplarUrl';

/** VARIABLE_HINT ends every field's tooltip, as in the other editors: each accepts a dashboard variable. */
const VARIABLE_HINT = ' Or a dashboard variable, e.g. $events.';

/** FieldSpec is one input of the editor: a number or a text, in the row it belongs to. */
interface FieldSpec {
  name: OverlayNumberParam | TextField;
  number: boolean;
  label: string;
  tooltip: string;
  placeholder: string;
  width?: number;
}

/** ROWS are the editor's rows: the annotation events, then the exemplars. */
const ROWS: ReadonlyArray<readonly FieldSpec[]> = [
  [
    {
      name: 'eventPeriod',
      number: true,
      label: 'Events every (ms)',
      tooltip:
        'Milliseconds between the point events this query adds when it runs as an annotation, on a grid counted from the Unix epoch. Default 0 (none). A whole number up to 31536000000 (365 days).' +
        VARIABLE_HINT,
      placeholder: formatNumber(DEFAULT_OVERLAYS.eventPeriod),
      width: 14,
    },
    {
      name: 'eventTitle',
      number: false,
      label: 'Event title',
      tooltip: `Title of those events, at most 200 characters. Default "${DEFAULT_EVENT_TITLE}".` + VARIABLE_HINT,
      placeholder: DEFAULT_EVENT_TITLE,
    },
  ],
  [
    {
      name: 'exemplars',
      number: true,
      label: 'Exemplars',
      tooltip:
        'At most this many exemplars per series in the range, each on a point of its series with a trace ID that is the same on every refresh. Default 0 (none). A whole number up to 100; kind Number only.' +
        VARIABLE_HINT,
      placeholder: formatNumber(DEFAULT_OVERLAYS.exemplars),
      width: 10,
    },
    {
      name: 'exemplarUrl',
      number: false,
      label: 'Exemplar link',
      tooltip:
        'A link on each exemplar’s trace ID: a URL holding ${__value.raw} where the trace ID goes. Default none.' +
        VARIABLE_HINT,
      placeholder: 'https://tempo.example.com/trace/${__value.raw}',
    },
  ],
];

/**
 * OverlaysEditor edits what a query draws besides its series: the point
 * events of its annotations and its exemplars, as rows of the query
 * editor's collapsible Testing section (TestingEditor). It runs the query as the
 * other editors do: on blur after an edit, and only when the query is
 * valid.
 */
export function OverlaysEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const edits = useSectionEdits(query, onChange, onRunQuery, datasource);
  const { invalid, idPrefix, errorId, describedBy, rowErrors, onBlur, onText } = edits;
  const text = (name: TextField) => (typeof query[name] === 'string' ? query[name] : '');

  return (
    <div>
      {ROWS.map((row) => (
        <div key={row[0].name}>
          <InlineFieldRow>
            {row.map((f, i) =>
              f.number ? (
                <NumberField
                  key={f.name}
                  name={f.name as OverlayNumberParam}
                  label={f.label}
                  labelWidth={i === 0 ? LABEL_WIDTH : 'auto'}
                  tooltip={f.tooltip}
                  width={f.width}
                  placeholder={f.placeholder}
                  query={query}
                  edits={edits}
                />
              ) : (
                <InlineField
                  key={f.name}
                  label={f.label}
                  labelWidth={i === 0 ? LABEL_WIDTH : 'auto'}
                  tooltip={f.tooltip}
                  invalid={invalid(f.name)}
                  grow
                >
                  <DescribedInput
                    id={`${idPrefix}-${f.name}`}
                    type="text"
                    width={f.width}
                    aria-invalid={invalid(f.name)}
                    describedBy={describedBy(f.name)}
                    placeholder={f.placeholder}
                    value={text(f.name as TextField)}
                    onChange={onText(f.name)}
                    onBlur={onBlur()}
                  />
                </InlineField>
              )
            )}
          </InlineFieldRow>
          <RowErrors errors={rowErrors(row.map((f) => f.name))} errorId={errorId} />
        </div>
      ))}
    </div>
  );
}
