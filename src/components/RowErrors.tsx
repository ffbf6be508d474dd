import React from 'react';
import { Box, FieldValidationMessage } from '@grafana/ui';

/** RowError is one validation message of a query, with its place in the query's list of errors. */
export interface RowError {
  field: string;
  message: string;
  /** index is the message's place among all the query's errors, which makes its element id unique. */
  index: number;
}

/** ErrorLinks ties a query's errors to the elements that show them and the fields they are about. */
export interface ErrorLinks {
  /** errorId is the element id of the message at index in the query's errors. */
  errorId: (field: string, index: number) => string;
  /** describedBy is a field's aria-describedby: the ids of its messages, undefined when it has none. */
  describedBy: (field: string) => string | undefined;
  /** rowErrors are the messages about any of fields, with their place in the query's errors. */
  rowErrors: (fields: readonly string[]) => RowError[];
}

/**
 * errorLinks is the one scheme of message ids that the query editor and the
 * gaps fields share, so that ids stay unique across both and every field
 * points at its own messages.
 */
export function errorLinks(idPrefix: string, errors: ReadonlyArray<{ field: string; message: string }>): ErrorLinks {
  const errorId = (field: string, index: number) => `${idPrefix}-${field}-error-${index}`;
  return {
    errorId,
    describedBy: (field) =>
      errors
        .map((e, i) => (e.field === field ? errorId(field, i) : ''))
        .filter(Boolean)
        .join(' ') || undefined,
    rowErrors: (fields) => errors.map((e, index) => ({ ...e, index })).filter((e) => fields.includes(e.field)),
  };
}

interface Props {
  errors: RowError[];
  /** errorId is the element id of a message, the one its field's aria-describedby names. */
  errorId: (field: string, index: number) => string;
}

/**
 * RowErrors shows the messages of one row of fields under the row rather
 * than under each field: messages are long, and two fields of one row may
 * be wrong at once. Each message carries the id its field points at.
 */
export function RowErrors({ errors, errorId }: Props) {
  if (errors.length === 0) {
    return null;
  }
  return (
    <Box marginBottom={1}>
      {errors.map((e) => (
        <div key={e.index} id={errorId(e.field, e.index)}>
          <FieldValidationMessage>{e.message}</FieldValidationMessage>
        </div>
      ))}
    </Box>
  );
}
