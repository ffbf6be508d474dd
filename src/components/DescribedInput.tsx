import React, { ComponentProps, forwardRef } from 'react';
import { Input } from '@grafana/ui';

type Props = Omit<ComponentProps<typeof Input>, 'aria-describedby'> & {
  /** Space-separated ids of the elements that describe this input, such as its error messages. */
  describedBy?: string;
};

/**
 * DescribedInput is Grafana's Input with its own aria-describedby. Since
 * @grafana/ui 13, InlineField overwrites its child's aria-describedby (with
 * undefined unless InlineField itself shows the error), which would cut the
 * link between a field and its error message shown elsewhere on the page.
 */
export const DescribedInput = forwardRef<HTMLInputElement, Props>(function DescribedInput(
  { describedBy, ...props },
  ref
) {
  return <Input {...props} ref={ref} aria-describedby={describedBy} />;
});
