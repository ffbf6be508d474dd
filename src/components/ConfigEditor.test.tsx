import React, { useState } from 'react';
import { DataSourceSettings } from '@grafana/data';
import { fireEvent, render, screen } from '@testing-library/react';

import { TickstreamSettings } from '../types';
import { ConfigEditor } from './ConfigEditor';

function options(jsonData: TickstreamSettings): DataSourceSettings<TickstreamSettings> {
  return {
    id: 1,
    uid: 'tickstream',
    orgId: 1,
    name: 'Tickstream',
    type: 'tickstream-streaming-datasource',
    typeName: 'Tickstream',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    // Required by the type although deprecated; Tickstream never reads it.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    readOnly: false,
    jsonData,
    secureJsonFields: {},
  };
}

/** Harness keeps the options in state, as the data source settings page does. */
function Harness({ initial, onChange }: { initial: TickstreamSettings; onChange: (j: TickstreamSettings) => void }) {
  const [opts, setOpts] = useState(options(initial));
  return (
    <ConfigEditor
      options={opts}
      onOptionsChange={(o) => {
        onChange(o.jsonData);
        setOpts(o);
      }}
    />
  );
}

function setup(initial: TickstreamSettings) {
  const onChange = jest.fn();
  render(<Harness initial={initial} onChange={onChange} />);
  return { onChange };
}

// A label query finds what getByRole('spinbutton', { name }) finds here (each <label for> names its input)
// and is many times faster in jsdom.
const input = (label: string) => {
  const element = screen.getByLabelText(label);
  expect(element).toHaveAttribute('type', 'number');
  return element as HTMLInputElement;
};

describe('ConfigEditor', () => {
  it('shows the defaults as placeholders when nothing is configured', () => {
    setup({});
    expect(input('Minimum tick interval (ms)')).toHaveValue(null);
    expect(input('Minimum tick interval (ms)')).toHaveAttribute('placeholder', '10');
    expect(input('Max points per second')).toHaveAttribute('placeholder', '10000');
    expect(input('Max series per query')).toHaveValue(null);
    expect(input('Max series per query')).toHaveAttribute('placeholder', '100');
    expect(input('Max messages per second')).toHaveValue(null);
    expect(input('Max messages per second')).toHaveAttribute('placeholder', '20');
    expect(screen.queryByText(/must be a whole number/)).not.toBeInTheDocument();
  });

  it('shows the caps on all streams together, with their defaults', () => {
    setup({});
    expect(input('Max streams')).toHaveValue(null);
    expect(input('Max streams')).toHaveAttribute('placeholder', '10000');
    expect(input('Max streams')).toHaveAttribute('max', '1000000');
    expect(input('Max total points per second')).toHaveValue(null);
    expect(input('Max total points per second')).toHaveAttribute('placeholder', '100000');
    expect(input('Max total points per second')).toHaveAttribute('max', '1000000000');
  });

  it('stores the caps and shows their errors on their own fields', () => {
    const { onChange } = setup({ maxSeries: 10 });
    fireEvent.change(input('Max streams'), { target: { value: '100' } });
    expect(onChange).toHaveBeenLastCalledWith({ maxSeries: 10, maxStreams: 100 });
    fireEvent.change(input('Max total points per second'), { target: { value: '0' } });
    expect(
      screen.getByText('maxTotalPointsPerSecond must be a whole number from 1 to 1000000000; got 0')
    ).toBeInTheDocument();
    expect(input('Max total points per second')).toHaveAttribute('aria-invalid', 'true');
    expect(input('Max streams')).toHaveAttribute('aria-invalid', 'false');
    fireEvent.change(input('Max streams'), { target: { value: '1000001' } });
    expect(screen.getByText('maxStreams must be a whole number from 1 to 1000000; got 1000001')).toBeInTheDocument();
  });

  it('shows configured values', () => {
    setup({ minTickInterval: 250, maxPointsPerSecond: 4, maxSeries: 1000, maxMessageRate: 60 });
    expect(input('Minimum tick interval (ms)')).toHaveValue(250);
    expect(input('Max points per second')).toHaveValue(4);
    expect(input('Max series per query')).toHaveValue(1000);
    expect(input('Max messages per second')).toHaveValue(60);
  });

  it('stores typed numbers and keeps the other fields', () => {
    const { onChange } = setup({ maxPointsPerSecond: 500 });
    fireEvent.change(input('Minimum tick interval (ms)'), { target: { value: '100' } });
    expect(onChange).toHaveBeenLastCalledWith({ minTickInterval: 100, maxPointsPerSecond: 500 });
  });

  it('shows the error for 0 on its field', () => {
    setup({});
    fireEvent.change(input('Minimum tick interval (ms)'), { target: { value: '0' } });
    expect(
      screen.getByText('minTickInterval must be a whole number of milliseconds from 1 to 86400000; got 0')
    ).toBeInTheDocument();
    expect(input('Minimum tick interval (ms)')).toHaveValue(0);
    expect(input('Minimum tick interval (ms)')).toHaveAttribute('aria-invalid', 'true');
    expect(input('Max points per second')).toHaveAttribute('aria-invalid', 'false');
  });

  it('shows the error for a fraction', () => {
    setup({});
    fireEvent.change(input('Max points per second'), { target: { value: '0.5' } });
    expect(
      screen.getByText('maxPointsPerSecond must be a whole number from 1 to 10000000; got 0.5')
    ).toBeInTheDocument();
  });

  it('goes back to the default when a field is emptied', () => {
    const { onChange } = setup({ minTickInterval: 100, maxPointsPerSecond: 500 });
    fireEvent.change(input('Minimum tick interval (ms)'), { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith({ maxPointsPerSecond: 500 });
    expect(input('Minimum tick interval (ms)')).toHaveAttribute('placeholder', '10');
  });

  it('reports values that provisioning may have stored', () => {
    setup({ maxPointsPerSecond: null } as unknown as TickstreamSettings);
    expect(
      screen.getByText('maxPointsPerSecond must be a whole number from 1 to 10000000; got null')
    ).toBeInTheDocument();
  });

  it('bounds each input by its rule', () => {
    setup({});
    expect(input('Max series per query')).toHaveAttribute('min', '1');
    expect(input('Max series per query')).toHaveAttribute('max', '10000');
    expect(input('Max messages per second')).toHaveAttribute('max', '1000');
  });

  it('stores a typed maxSeries and maxMessageRate and keeps the other fields', () => {
    const { onChange } = setup({ minTickInterval: 100 });
    fireEvent.change(input('Max series per query'), { target: { value: '500' } });
    fireEvent.change(input('Max messages per second'), { target: { value: '5' } });
    expect(onChange).toHaveBeenLastCalledWith({ minTickInterval: 100, maxSeries: 500, maxMessageRate: 5 });
    fireEvent.change(input('Max series per query'), { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith({ minTickInterval: 100, maxMessageRate: 5 });
  });

  it('shows the error for too many series on its field', () => {
    setup({});
    fireEvent.change(input('Max series per query'), { target: { value: '10001' } });
    expect(screen.getByText('maxSeries must be a whole number from 1 to 10000; got 10001')).toBeInTheDocument();
    expect(input('Max series per query')).toHaveAttribute('aria-invalid', 'true');
    expect(input('Max messages per second')).toHaveAttribute('aria-invalid', 'false');
  });

  it('shows the error for a message rate of 0 on its field', () => {
    setup({});
    fireEvent.change(input('Max messages per second'), { target: { value: '0' } });
    expect(
      screen.getByText('maxMessageRate must be a whole number of messages per second from 1 to 1000; got 0')
    ).toBeInTheDocument();
    expect(input('Max messages per second')).toHaveAttribute('aria-invalid', 'true');
  });

  it('reports new settings that provisioning may have stored as text', () => {
    setup({ maxSeries: '100', maxMessageRate: 2.5 } as unknown as TickstreamSettings);
    expect(screen.getByText('maxSeries must be a whole number from 1 to 10000; got a string')).toBeInTheDocument();
    expect(
      screen.getByText('maxMessageRate must be a whole number of messages per second from 1 to 1000; got 2.5')
    ).toBeInTheDocument();
  });
});
