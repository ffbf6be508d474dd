/**
 * displayValue is what a number input shows for a stored value: a number as
 * it is (0 included, so never `value || ''`), and an empty box for
 * everything else a saved dashboard or provisioning file can hold: absent,
 * null (what JSON makes of an emptied input), NaN (which React refuses as a
 * value), a string. The field's error message then says what was stored.
 */
export function displayValue(value: unknown): number | string {
  return typeof value === 'number' && !Number.isNaN(value) ? value : '';
}
