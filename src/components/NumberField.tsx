import React from 'react';
import { InlineField } from '@grafana/ui';

import { TickstreamQuery } from '../types';
import { DescribedInput } from './DescribedInput';
import { numberInputText } from './numberInput';
import { NumberName, SectionEdits } from './useSectionEdits';

interface Props {
  name: NumberName;
  label: string;
  /** Widths are multiples of 8 px, as everywhere in @grafana/ui; 'auto' labels fit their text. */
  labelWidth: number | 'auto';
  tooltip: string;
  width?: number;
  /** placeholder shows the field's default. */
  placeholder: string;
  query: TickstreamQuery;
  edits: SectionEdits;
}

/**
 * NumberField is one labelled number field of the query editor, the same in
 * every section: its input names its errors (shown under its row) by
 * aria-describedby, and it edits and runs the query through useSectionEdits.
 */
export function NumberField({ name, label, labelWidth, tooltip, width, placeholder, query, edits }: Props) {
  const invalid = edits.invalid(name);
  return (
    <InlineField label={label} labelWidth={labelWidth} tooltip={tooltip} invalid={invalid}>
      <DescribedInput
        id={`${edits.idPrefix}-${name}`}
        // Text, not a number input: the field may hold a dashboard variable such as $tick.
        type="text"
        width={width}
        aria-invalid={invalid}
        describedBy={edits.describedBy(name)}
        placeholder={placeholder}
        value={numberInputText(query[name])}
        onChange={edits.onNumber(name)}
        onBlur={edits.onBlur(name)}
      />
    </InlineField>
  );
}
