import type { FaultsNumberParam } from '../faults';
import { GapsNumberParam, NumberOrVariable, NumericParam, OverlayNumberParam, TickstreamQuery } from '../types';
import { numberFromText, referencedVariables } from '../variables';

/**
 * parseNumberInput is what a numeric field stores for the text typed into
 * it: the number when the text is one exactly as JavaScript prints it
 * ("1000", "-0.5"), NaN when the box is emptied (an error, never a silent
 * default), and otherwise the text itself: a variable reference ($tick,
 * ${tick}, [[tick]]) or a number still being typed ("1.", "1e3"), which
 * the editor judges as its number and turns into one on blur.
 */
export function parseNumberInput(text: string): NumberOrVariable {
  if (text.trim() === '') {
    return NaN;
  }
  const n = Number(text);
  return String(n) === text ? n : text;
}

/**
 * numberInputText is what a numeric field's text box shows for a stored
 * value: a number or text as it is (0 included, so never `value || ''`),
 * and an empty box for null or NaN; the field's error then says what was
 * stored.
 */
export function numberInputText(value: unknown): number | string {
  if (typeof value === 'string') {
    return value;
  }
  return typeof value === 'number' && !Number.isNaN(value) ? value : '';
}

/**
 * withTypedNumber is query with the numeric text typed into field name
 * ("1e3", " 5") stored as its number, for the editors' blur: alert rules
 * run the saved query without interpolation, so they must read a number
 * too. A variable reference, other text and a number stay as they are
 * (the same query comes back).
 */
export function withTypedNumber(
  query: TickstreamQuery,
  name: NumericParam | GapsNumberParam | FaultsNumberParam | OverlayNumberParam
): TickstreamQuery {
  const value = query[name];
  if (typeof value !== 'string' || referencedVariables(value).length > 0) {
    return query;
  }
  const n = numberFromText(value);
  return n === undefined ? query : { ...query, [name]: n };
}
