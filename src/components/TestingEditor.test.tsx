import { fireEvent, screen } from '@testing-library/react';

import { field, renderEditor, withComboboxLayout } from '../testUtils';
import { TickstreamQuery } from '../types';
import { TestingEditor } from './TestingEditor';

const setup = (initial: Partial<TickstreamQuery>) => renderEditor(TestingEditor, initial);

describe('TestingEditor', () => {
  withComboboxLayout();

  it('starts closed for a query without faults, and opens on a click', () => {
    setup({});
    expect(screen.queryByLabelText('Fail (%)')).not.toBeInTheDocument();
    fireEvent.click(screen.getByText('Testing'));
    expect(field('Fail (%)')).toHaveAttribute('placeholder', '0');
    expect(field('Delay (ms)')).toHaveAttribute('placeholder', '0');
    expect(field('Jitter (ms)')).toHaveAttribute('placeholder', '0');
    expect(field('Fail message')).toHaveValue('');
    expect(field('Fail source')).toHaveValue('Downstream');
  });

  it('opens for a query that fails or waits, and says so in its label', () => {
    setup({ failPercent: 25, queryDelay: 1500 });
    expect(screen.getByText('Testing: fails 25 %, delay 1500 ms')).toBeInTheDocument();
    expect(field('Fail (%)')).toHaveValue('25');
    expect(field('Delay (ms)')).toHaveValue('1500');
  });

  it('names a wrong field under its row, links it, runs only a valid query, and cannot be closed over an error', () => {
    const { onChange, onRunQuery } = setup({ failPercent: 10 });
    fireEvent.change(field('Fail (%)'), { target: { value: '150' } });
    const message = screen.getByText('failPercent must be a number from 0 to 100; got 150');
    expect(field('Fail (%)')).toHaveAttribute('aria-invalid', 'true');
    expect(field('Fail (%)').getAttribute('aria-describedby')).toBe(message.closest('div[id]')!.id);
    fireEvent.blur(field('Fail (%)'));
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.click(screen.getByText('Testing: fails 150 %'));
    expect(field('Fail (%)')).toBeInTheDocument(); // still open: the error stays in sight

    fireEvent.change(field('Fail (%)'), { target: { value: '50' } });
    fireEvent.blur(field('Fail (%)'));
    expect(onRunQuery).toHaveBeenCalledTimes(1);

    fireEvent.change(field('Delay (ms)'), { target: { value: '1.5' } });
    expect(
      screen.getByText('queryDelay must be a whole number of milliseconds from 0 to 60000 (1 minute); got 1.5')
    ).toBeInTheDocument();
    fireEvent.change(field('Delay (ms)'), { target: { value: '' } });
    expect(Number.isNaN(onChange.mock.lastCall[0].queryDelay)).toBe(true);
    fireEvent.change(field('Delay (ms)'), { target: { value: '1500' } });
    fireEvent.change(field('Fail message'), { target: { value: 'the database is down' } });
    fireEvent.blur(field('Fail message'));
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      failPercent: 50,
      queryDelay: 1500,
      failMessage: 'the database is down',
    });
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });

  it('runs a picked failSource at once', () => {
    const { onChange, onRunQuery } = setup({ failPercent: 100 });
    fireEvent.click(field('Fail source'));
    const plugin = Array.from(document.querySelectorAll<HTMLElement>('[role="option"]')).find(
      (o) => o.firstElementChild?.firstElementChild?.textContent === 'Plugin'
    );
    expect(plugin).toBeDefined();
    fireEvent.click(plugin!);
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', failPercent: 100, failSource: 'plugin' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('takes dashboard variables, and turns typed numeric text into a number on blur', () => {
    const { onChange, onRunQuery } = setup({ queryDelayJitter: 0 });
    fireEvent.change(field('Fail (%)'), { target: { value: '$fail' } });
    expect(screen.queryByText(/failPercent must be/)).not.toBeInTheDocument();
    fireEvent.blur(field('Fail (%)'));
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    fireEvent.change(field('Jitter (ms)'), { target: { value: '5e2' } });
    fireEvent.blur(field('Jitter (ms)'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', failPercent: '$fail', queryDelayJitter: 500 });
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });

  it('shows a stored failSource that is not a source with its error, not a crash', () => {
    setup({ failSource: 3 as unknown as string });
    expect(screen.getByText('failSource must be one of plugin, downstream; got 3')).toBeInTheDocument();
  });
});
