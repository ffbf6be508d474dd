import { fireEvent, screen } from '@testing-library/react';

import { field, renderEditor, withComboboxLayout } from '../testUtils';
import { TickstreamQuery } from '../types';
import { GapsEditor } from './GapsEditor';

const setup = (initial: Partial<TickstreamQuery>) => renderEditor(GapsEditor, initial);

describe('GapsEditor', () => {
  withComboboxLayout();

  it('shows values only for the csv shape and states only for the state kind', () => {
    setup({});
    expect(field('Drop (%)')).toHaveAttribute('placeholder', '0');
    expect(screen.queryByLabelText('Values')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('States')).not.toBeInTheDocument();
  });

  it('shows values for csv and runs the query once they are valid', () => {
    const { onChange, onRunQuery } = setup({ shape: 'csv', values: '1,2' });
    expect(field('Values')).toHaveValue('1,2');
    expect(screen.queryByLabelText('States')).not.toBeInTheDocument();
    fireEvent.change(field('Values'), { target: { value: '1,x' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', shape: 'csv', values: '1,x' });
    expect(
      screen.getByText(
        'values must be 1 to 1000 finite numbers separated by commas, such as 1,2,3,5,8; got a string whose item 2 is not a finite number'
      )
    ).toBeInTheDocument();
    fireEvent.blur(field('Values'));
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.change(field('Values'), { target: { value: '1,5,8' } });
    fireEvent.blur(field('Values'));
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('keeps showing values that no longer apply, with the error that says so', () => {
    setup({ shape: 'sine', values: '1,2' });
    expect(field('Values')).toHaveValue('1,2');
    expect(
      screen.getByText('values is only for shape csv: remove it or set shape to csv; got a string with shape sine')
    ).toBeInTheDocument();
  });

  it('shows states for the state kind and names the bad name', () => {
    setup({ kind: 'state', states: 'OK,NOT OK' });
    expect(field('States')).toHaveValue('OK,NOT OK');
    expect(
      screen.getByText(/^states must be 1 to 100 names .* got a string whose name 2 is empty or has another character$/)
    ).toBeInTheDocument();
  });

  it('keeps an emptied number as NaN, flags outages that do not fit, and runs a picked kind at once', () => {
    const { onChange, onRunQuery } = setup({ outagePeriod: 1000, outageDuration: 100 });
    fireEvent.change(field('Outage for (ms)'), { target: { value: '1000' } });
    expect(
      screen.getByText(
        'outageDuration must be more than 0 and less than outagePeriod, or both 0 for no outages; got outageDuration 1000 and outagePeriod 1000'
      )
    ).toBeInTheDocument();
    fireEvent.change(field('Drop (%)'), { target: { value: '3' } });
    fireEvent.change(field('Drop (%)'), { target: { value: '' } });
    expect(Number.isNaN(onChange.mock.lastCall[0].dropPercent)).toBe(true);
    fireEvent.change(field('Drop (%)'), { target: { value: '5' } });
    fireEvent.change(field('Outage for (ms)'), { target: { value: '200' } });
    fireEvent.blur(field('Outage for (ms)'));
    expect(onRunQuery).toHaveBeenCalledTimes(1);

    fireEvent.click(field('Kind'));
    const logs = Array.from(document.querySelectorAll<HTMLElement>('[role="option"]')).find(
      (o) => o.firstElementChild?.firstElementChild?.textContent === 'Logs'
    );
    expect(logs).toBeDefined();
    fireEvent.click(logs!);
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      outagePeriod: 1000,
      outageDuration: 200,
      dropPercent: 5,
      kind: 'logs',
    });
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });

  it('takes a dashboard variable in the numbers, and turns typed numeric text into a number on blur', () => {
    const { onChange, onRunQuery } = setup({});
    fireEvent.change(field('Drop (%)'), { target: { value: '$drop' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', dropPercent: '$drop' });
    expect(field('Drop (%)')).toHaveValue('$drop');
    expect(screen.queryByText(/dropPercent must be/)).not.toBeInTheDocument();
    fireEvent.blur(field('Drop (%)'));
    expect(onRunQuery).toHaveBeenCalledTimes(1);

    fireEvent.change(field('Outage every (ms)'), { target: { value: '6e4' } });
    fireEvent.blur(field('Outage every (ms)'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', dropPercent: '$drop', outagePeriod: 60000 });
    // 60000 with no duration is refused, and the query does not run.
    expect(screen.getByText(/^outageDuration must be more than 0/)).toBeInTheDocument();
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('shows the states of a kind that comes from a dashboard variable', () => {
    setup({ kind: '$kind', states: 'OK,CRIT' });
    expect(field('States')).toHaveValue('OK,CRIT');
  });

  it('shows the values of a shape that comes from a dashboard variable', () => {
    setup({ shape: '$shape' });
    expect(field('Values')).toHaveValue('');
  });

  it('takes a dashboard variable typed into Kind, and then shows the states', () => {
    const { onChange } = setup({});
    fireEvent.change(field('Kind'), { target: { value: '$kind' } });
    const custom = Array.from(document.querySelectorAll<HTMLElement>('[role="option"]')).find((o) =>
      o.textContent?.includes('$kind')
    );
    expect(custom).toBeDefined();
    fireEvent.click(custom!);
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', kind: '$kind' });
    expect(field('States')).toBeInTheDocument();
  });

  it('shows a stored kind that is no text with its error, not a crash', () => {
    setup({ kind: 3 as unknown as string });
    expect(screen.getByText('kind must be one of number, state, logs; got 3')).toBeInTheDocument();
  });
});
