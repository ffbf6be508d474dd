import React from 'react';
import { Box, FieldValidationMessage } from '@grafana/ui';

/** RowError is one validation message of a query, with its place in the query's list of errors. */
export interface RowError {
  field: string;
  message: string;
  /** index is the message's place among all the query's errors, which makes its element id unique. */
  index: number;
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
