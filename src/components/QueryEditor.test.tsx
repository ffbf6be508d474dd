import React, { useState } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { DataSource } from '../datasource';
import { makeDataSource } from '../testUtils';
import { TickstreamQuery } from '../types';
import { QueryEditor } from './QueryEditor';

const TICK_ERROR_10 =
  "tickInterval must be a whole number of milliseconds from 10 (the data source's minTickInterval) to 86400000 (24 h); got NaN";

/** Harness keeps the query in state, as Grafana does, so an edit is rendered before the blur that follows it. */
function Harness(props: {
  initial: TickstreamQuery;
  datasource: DataSource;
  onChange: (q: TickstreamQuery) => void;
  onRunQuery: () => void;
}) {
  const [query, setQuery] = useState(props.initial);
  return (
    <QueryEditor
      query={query}
      datasource={props.datasource}
      onChange={(q) => {
        props.onChange(q);
        setQuery(q);
      }}
      onRunQuery={props.onRunQuery}
    />
  );
}

function setup(initial: Partial<TickstreamQuery>, datasource = makeDataSource()) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(
    <Harness initial={{ refId: 'A', ...initial }} datasource={datasource} onChange={onChange} onRunQuery={onRunQuery} />
  );
  return { onChange, onRunQuery };
}

const input = (label: string) => screen.getByRole('spinbutton', { name: label }) as HTMLInputElement;

describe('QueryEditor', () => {
  it('shows every value, 0 included', () => {
    setup({ tickInterval: 1000, lowerLimit: 0, upperLimit: 100, seed: 0 });
    expect(input('Tick interval (ms)')).toHaveValue(1000);
    expect(input('Lower limit')).toHaveValue(0);
    expect(input('Upper limit')).toHaveValue(100);
    expect(input('Seed')).toHaveValue(0);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the default as a placeholder for an absent field', () => {
    setup({});
    expect(input('Tick interval (ms)')).toHaveValue(null);
    expect(input('Tick interval (ms)')).toHaveAttribute('placeholder', '1000');
    expect(input('Upper limit')).toHaveAttribute('placeholder', '100');
  });

  it('passes typed numbers on as numbers', () => {
    const { onChange } = setup({ tickInterval: 1000, lowerLimit: 0, upperLimit: 100, seed: 0 });
    fireEvent.change(input('Lower limit'), { target: { value: '-2.5' } });
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      tickInterval: 1000,
      lowerLimit: -2.5,
      upperLimit: 100,
      seed: 0,
    });
    fireEvent.change(input('Seed'), { target: { value: '42' } });
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      tickInterval: 1000,
      lowerLimit: -2.5,
      upperLimit: 100,
      seed: 42,
    });
  });

  it('keeps an emptied field as NaN and says which field is wrong', () => {
    const { onChange, onRunQuery } = setup({ tickInterval: 1000 });
    fireEvent.change(input('Tick interval (ms)'), { target: { value: '' } });
    const sent = onChange.mock.lastCall[0];
    expect(Number.isNaN(sent.tickInterval)).toBe(true);
    expect(screen.getByText(TICK_ERROR_10)).toBeInTheDocument();
    expect(input('Tick interval (ms)')).toHaveValue(null);
    fireEvent.blur(input('Tick interval (ms)'));
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('reports a value a saved dashboard holds as null instead of showing a default', () => {
    setup({ upperLimit: null } as unknown as TickstreamQuery);
    expect(input('Upper limit')).toHaveValue(null);
    expect(screen.getByText('upperLimit must be a finite number; got null')).toBeInTheDocument();
  });

  it('runs the query on blur once an edit makes it valid, not on each keystroke', () => {
    const { onRunQuery } = setup({ tickInterval: 1000, lowerLimit: 0, upperLimit: 100, seed: 0 });
    fireEvent.change(input('Upper limit'), { target: { value: '5' } });
    fireEvent.change(input('Upper limit'), { target: { value: '50' } });
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.blur(input('Upper limit'));
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('does not re-run an unchanged query when focus merely passes through', () => {
    const { onRunQuery } = setup({ tickInterval: 1000 });
    fireEvent.blur(input('Tick interval (ms)'));
    fireEvent.blur(input('Seed'));
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('shows the error on the lower limit when it exceeds the upper limit, and does not run', () => {
    const { onRunQuery } = setup({ tickInterval: 1000, lowerLimit: 0, upperLimit: 100, seed: 0 });
    fireEvent.change(input('Lower limit'), { target: { value: '200' } });
    fireEvent.blur(input('Lower limit'));
    expect(
      screen.getByText('lowerLimit must not be greater than upperLimit; got lowerLimit 200 and upperLimit 100')
    ).toBeInTheDocument();
    expect(input('Lower limit')).toHaveAttribute('aria-invalid', 'true');
    expect(input('Upper limit')).not.toHaveAttribute('aria-invalid', 'true');
    expect(onRunQuery).not.toHaveBeenCalled();

    fireEvent.change(input('Upper limit'), { target: { value: '300' } });
    fireEvent.blur(input('Upper limit'));
    expect(screen.queryByText(/lowerLimit must not be greater/)).not.toBeInTheDocument();
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it("applies the data source's own limits", () => {
    const datasource = makeDataSource({ minTickInterval: 250 });
    setup({ tickInterval: 100 }, datasource);
    expect(
      screen.getByText(
        "tickInterval must be a whole number of milliseconds from 250 (the data source's minTickInterval) to 86400000 (24 h); got 100"
      )
    ).toBeInTheDocument();
  });

  it("names the data source's points-per-second limit", () => {
    setup({ tickInterval: 3 }, makeDataSource({ minTickInterval: 1, maxPointsPerSecond: 100 }));
    expect(screen.getByText(/more than the data source's maxPointsPerSecond of 100/)).toBeInTheDocument();
  });

  it('says so when the data source settings are broken', () => {
    setup({}, makeDataSource({ maxPointsPerSecond: 0.5 }));
    expect(screen.getByText("This data source's settings are invalid")).toBeInTheDocument();
    expect(
      screen.getByText('maxPointsPerSecond must be a whole number from 1 to 10000000; got 0.5')
    ).toBeInTheDocument();
  });

  it('gives each query row its own input ids', () => {
    const { container } = render(
      <QueryEditor query={{ refId: 'B' }} datasource={makeDataSource()} onChange={jest.fn()} onRunQuery={jest.fn()} />
    );
    expect(container.querySelector('#tickstream-B-seed')).not.toBeNull();
  });
});
