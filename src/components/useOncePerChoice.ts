import { ComboboxOption } from '@grafana/ui';
import { useRef } from 'react';

/**
 * useOncePerChoice wraps a picker's onChange so that one choice acts once.
 * Grafana 12.4's Combobox calls onChange three times for one click on an
 * option, all before the editor re-renders with the new query (13.x calls
 * it once; seen in the browser suite's 12.4 line), so a handler that
 * compares the option with its query sees the old query each time and ran
 * the query three times. A call with the same value for the same query
 * object as the call before it is that same choice, and is dropped.
 */
export function useOncePerChoice<T extends string | number>(
  query: object,
  onChoice: (option: ComboboxOption<T>) => void
): (option: ComboboxOption<T>) => void {
  const last = useRef<{ query: object; value: T } | undefined>(undefined);
  return (option: ComboboxOption<T>) => {
    if (last.current?.query === query && last.current.value === option.value) {
      return;
    }
    last.current = { query, value: option.value };
    onChoice(option);
  };
}
