import { ChangeEvent, useMemo, useRef } from 'react';

import type { FaultsNumberParam } from '../faults';
import type { DataSource } from '../datasource';
import { GapsNumberParam, NumericParam, OverlayNumberParam, TickstreamQuery } from '../types';
import { FieldError } from '../validation';
import { ErrorLinks, errorLinks } from './RowErrors';
import { parseNumberInput, withTypedNumber } from './numberInput';

/** NumberName names any query field edited as a number (or a variable reference to one). */
export type NumberName = NumericParam | GapsNumberParam | FaultsNumberParam | OverlayNumberParam;

/** SectionEdits is what useSectionEdits gives a section of the query editor. */
export interface SectionEdits extends ErrorLinks {
  /** errors are the query's problems, as the data source judges them. */
  errors: FieldError[];
  /** invalid tells whether field has a problem. */
  invalid: (field: string) => boolean;
  /** idPrefix starts every element id of the query's editor, so that ids stay unique per query. */
  idPrefix: string;
  /** change stores an edit, to run the query on the next blur. */
  change: (next: TickstreamQuery) => void;
  /** onBlur stores the number typed into name, if any, then runs the query if it was edited and is valid. */
  onBlur: (name?: NumberName) => () => void;
  /** onNumber stores the text typed into the number field name. */
  onNumber: (name: NumberName) => (event: ChangeEvent<HTMLInputElement>) => void;
  /** onText stores the text typed into the text field name. */
  onText: (name: keyof TickstreamQuery) => (event: ChangeEvent<HTMLInputElement>) => void;
  /** choose stores a picked value and runs the query at once when it is valid. */
  choose: (next: TickstreamQuery) => void;
}

/**
 * useSectionEdits is the one place for how every section of the query editor
 * (QueryEditor, GapsEditor, TestingEditor, OverlaysEditor) edits and runs the
 * query, so that they cannot drift apart: an edit only updates the query; it
 * runs on blur after an edit, and only when valid, so that a half-typed
 * number never starts a stream and tabbing through untouched fields does not
 * re-query. A pick runs at once when valid, as a picker has no half-typed
 * state. An emptied number is NaN, kept: it is an error, never a silent 0 or
 * default.
 */
export function useSectionEdits(
  query: TickstreamQuery,
  onChange: (query: TickstreamQuery) => void,
  onRunQuery: () => void,
  datasource: DataSource
): SectionEdits {
  const errors = useMemo(() => datasource.validate(query), [datasource, query]);
  // dirty is set by an edit and cleared when the query runs.
  const dirty = useRef(false);
  const idPrefix = `tickstream-${query.refId}`;

  const change = (next: TickstreamQuery) => {
    dirty.current = true;
    onChange(next);
  };
  return {
    ...errorLinks(idPrefix, errors),
    errors,
    invalid: (field) => errors.some((e) => e.field === field),
    idPrefix,
    change,
    onBlur: (name) => () => {
      const current = name === undefined ? query : withTypedNumber(query, name);
      if (current !== query) {
        onChange(current);
      }
      if (dirty.current && datasource.validate(current).length === 0) {
        dirty.current = false;
        onRunQuery();
      }
    },
    onNumber: (name) => (event) => change({ ...query, [name]: parseNumberInput(event.target.value) }),
    onText: (name) => (event) => change({ ...query, [name]: event.target.value }),
    choose: (next) => {
      onChange(next);
      if (datasource.validate(next).length === 0) {
        dirty.current = false;
        onRunQuery();
      } else {
        // Another field is still wrong: run once it is fixed and loses focus.
        dirty.current = true;
      }
    },
  };
}
