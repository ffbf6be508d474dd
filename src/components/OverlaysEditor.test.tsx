import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { field, makeDataSource, renderEditor, withComboboxLayout } from '../testUtils';
import { TickstreamQuery } from '../types';
import { OverlaysEditor } from './OverlaysEditor';
import { TestingEditor } from './TestingEditor';

const setup = (initial: Partial<TickstreamQuery>) => renderEditor(OverlaysEditor, initial);

describe('OverlaysEditor', () => {
  it('shows the defaults as placeholders and a stored 0 as 0', () => {
    setup({ exemplars: 0 });
    expect(field('Events every (ms)')).toHaveAttribute('placeholder', '0');
    expect(field('Event title')).toHaveAttribute('placeholder', 'Tickstream event');
    expect(field('Exemplars')).toHaveValue('0');
    expect(field('Exemplar link')).toHaveValue('');
  });

  it('shows an error under its row, linked to the field, and runs the query only once it is valid', () => {
    const { onChange, onRunQuery } = setup({});
    fireEvent.change(field('Exemplars'), { target: { value: '500' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', exemplars: 500 });
    const message = 'exemplars must be a whole number from 0 (none) to 100 per series; got 500';
    expect(screen.getByText(message)).toBeInTheDocument();
    expect(field('Exemplars')).toHaveAttribute('aria-invalid', 'true');
    const describedBy = field('Exemplars').getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(describedBy)).toHaveTextContent(message);
    fireEvent.blur(field('Exemplars'));
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.change(field('Exemplars'), { target: { value: '5' } });
    fireEvent.blur(field('Exemplars'));
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('keeps an emptied number as an error, never a silent default', () => {
    const { onChange } = setup({ eventPeriod: 60000 });
    fireEvent.change(field('Events every (ms)'), { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', eventPeriod: NaN });
    expect(
      screen.getByText(
        'eventPeriod must be a whole number of milliseconds from 0 (no events) to 31536000000 (365 days); got NaN'
      )
    ).toBeInTheDocument();
  });

  it('stores typed numeric text as a number on blur, and keeps a variable', () => {
    const { onChange } = setup({});
    fireEvent.change(field('Events every (ms)'), { target: { value: '1e3' } });
    fireEvent.blur(field('Events every (ms)'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', eventPeriod: 1000 });
    fireEvent.change(field('Exemplars'), { target: { value: '$n' } });
    fireEvent.blur(field('Exemplars'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', eventPeriod: 1000, exemplars: '$n' });
  });

  it('asks for the trace ID in the link', () => {
    const { onChange, onRunQuery } = setup({ exemplars: 3 });
    fireEvent.change(field('Exemplar link'), { target: { value: 'https://tempo/trace/' } });
    expect(
      screen.getByText(
        'exemplarUrl must hold ${__value.raw} where the trace ID goes, e.g. https://tempo.example.com/trace/${__value.raw}; got a string without it'
      )
    ).toBeInTheDocument();
    fireEvent.change(field('Exemplar link'), { target: { value: 'https://tempo/trace/${__value.raw}' } });
    fireEvent.blur(field('Exemplar link'));
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      exemplars: 3,
      exemplarUrl: 'https://tempo/trace/${__value.raw}',
    });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('says exemplars need numbers when the kind is logs', () => {
    setup({ kind: 'logs', exemplars: 2 });
    expect(
      screen.getByText(
        "exemplars sit on a series' numbers, and kind logs has none: remove exemplars or choose kind number; got exemplars 2 with kind logs"
      )
    ).toBeInTheDocument();
  });
});

describe('OverlaysEditor in the Testing section', () => {
  withComboboxLayout();

  it('is part of the section, which a query with exemplars or events opens', () => {
    render(
      <TestingEditor
        query={{ refId: 'A', exemplars: 3 }}
        datasource={makeDataSource()}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(field('Exemplars')).toHaveValue('3');
    expect(screen.getByText('Testing: 3 exemplars')).toBeInTheDocument();
  });

  it('stays closed for a query without testing fields', () => {
    render(
      <TestingEditor query={{ refId: 'A' }} datasource={makeDataSource()} onChange={jest.fn()} onRunQuery={jest.fn()} />
    );
    expect(screen.queryByLabelText('Exemplars')).not.toBeInTheDocument();
  });

  it('opens for a wrong eventPeriod, so its error is never hidden', () => {
    render(
      <TestingEditor
        query={{ refId: 'A', eventPeriod: -1 }}
        datasource={makeDataSource()}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(
      screen.getByText(
        'eventPeriod must be a whole number of milliseconds from 0 (no events) to 31536000000 (365 days); got -1'
      )
    ).toBeInTheDocument();
  });
});
