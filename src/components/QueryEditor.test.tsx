import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { setTemplateSrv, TemplateSrv } from '@grafana/runtime';

import { DataSource } from '../datasource';
import { makeDataSource, renderEditor, withComboboxLayout } from '../testUtils';
import { Shape, TickstreamQuery } from '../types';
import { QueryEditor } from './QueryEditor';

const TICK_ERROR_10 =
  "tickInterval must be a whole number of milliseconds from 10 (the data source's minTickInterval) to 86400000 (24 h); got NaN";

const setup = (initial: Partial<TickstreamQuery>, datasource?: DataSource) =>
  renderEditor(QueryEditor, initial, datasource);

// Label queries find the same elements as role queries here (each <label for> names its input, as the e2e
// specs' getByRole relies on) and are many times faster in jsdom, which keeps this suite well inside jest's timeout.
const input = (label: string) => {
  const element = screen.getByLabelText(label);
  expect(element).toHaveAttribute('type', 'text');
  return element as HTMLInputElement;
};
const shapePicker = () => {
  const element = screen.getByLabelText('Shape');
  expect(element).toHaveAttribute('role', 'combobox');
  return element as HTMLInputElement;
};

/** openShapes opens the shape picker and returns its options (by attribute, which is much faster than by role). */
function openShapes(): HTMLElement[] {
  fireEvent.click(shapePicker());
  return Array.from(document.querySelectorAll<HTMLElement>('[role="option"]'));
}

/** chooseShape clicks the option whose label is given, as a user does. */
function chooseShape(label: string) {
  const option = openShapes().find((o) => o.firstElementChild?.firstElementChild?.textContent === label);
  expect(option).toBeDefined();
  fireEvent.click(option!);
}

describe('QueryEditor', () => {
  withComboboxLayout();

  it('shows every value, 0 included', () => {
    setup({ tickInterval: 1000, lowerLimit: 0, upperLimit: 100, seed: 0 });
    expect(input('Tick interval (ms)')).toHaveValue('1000');
    expect(input('Lower limit')).toHaveValue('0');
    expect(input('Upper limit')).toHaveValue('100');
    expect(input('Seed')).toHaveValue('0');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the default as a placeholder for an absent field', () => {
    setup({});
    expect(input('Tick interval (ms)')).toHaveValue('');
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
    expect(input('Tick interval (ms)')).toHaveValue('');
    fireEvent.blur(input('Tick interval (ms)'));
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('reports a value a saved dashboard holds as null instead of showing a default', () => {
    setup({ upperLimit: null } as unknown as TickstreamQuery);
    expect(input('Upper limit')).toHaveValue('');
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

  describe('signal options', () => {
    it('shows the shape, defaulting to Random, and hides the period of shapes that have none', () => {
      setup({});
      expect(shapePicker()).toHaveValue('Random');
      expect(screen.queryByLabelText('Period (ms)')).not.toBeInTheDocument();
      expect(input('Noise')).toHaveAttribute('placeholder', '0');
      expect(input('Series')).toHaveAttribute('placeholder', '1');
    });

    it('hides the period for a walk, even when one is stored', () => {
      setup({ shape: 'walk', period: 5000 });
      expect(shapePicker()).toHaveValue('Walk');
      expect(screen.queryByLabelText('Period (ms)')).not.toBeInTheDocument();
    });

    it('shows the period for a sine, with the default as placeholder', () => {
      setup({ shape: 'sine' });
      expect(shapePicker()).toHaveValue('Sine');
      expect(input('Period (ms)')).toHaveValue('');
      expect(input('Period (ms)')).toHaveAttribute('placeholder', '60000');
    });

    it('offers every shape with its description', () => {
      setup({});
      const options = openShapes();
      expect(options.map((o) => o.textContent)).toEqual([
        expect.stringMatching(/^Random.*uniform value/),
        expect.stringMatching(/^Walk.*random walk/),
        expect.stringMatching(/^Sine.*sine wave/),
        expect.stringMatching(/^Square/),
        expect.stringMatching(/^Sawtooth/),
        expect.stringMatching(/^Triangle/),
        expect.stringMatching(/^CSV.*own values/),
      ]);
    });

    it('stores a chosen shape, runs the query at once and shows the period', () => {
      const { onChange, onRunQuery } = setup({ tickInterval: 1000 });
      chooseShape('Sine');
      expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', tickInterval: 1000, shape: 'sine' });
      expect(onRunQuery).toHaveBeenCalledTimes(1);
      expect(shapePicker()).toHaveValue('Sine');
      expect(input('Period (ms)')).toBeInTheDocument();

      chooseShape('Walk');
      expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', tickInterval: 1000, shape: 'walk' });
      expect(onRunQuery).toHaveBeenCalledTimes(2);
      expect(screen.queryByLabelText('Period (ms)')).not.toBeInTheDocument();
    });

    it('does not run the query when the shape is chosen while another field is wrong, but runs it once that is fixed', () => {
      const { onChange, onRunQuery } = setup({ noise: 2 });
      chooseShape('Square');
      expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', noise: 2, shape: 'square' });
      expect(onRunQuery).not.toHaveBeenCalled();
      fireEvent.change(input('Noise'), { target: { value: '0.5' } });
      fireEvent.blur(input('Noise'));
      expect(onRunQuery).toHaveBeenCalledTimes(1);
    });

    it('does not run the query when the chosen shape makes the stored period count', () => {
      const { onRunQuery } = setup({ shape: 'walk', period: 0 });
      expect(screen.queryByText(/^period must be/)).not.toBeInTheDocument();
      chooseShape('Triangle');
      expect(
        screen.getByText('period must be a whole number of milliseconds from 1 to 31536000000 (365 days); got 0')
      ).toBeInTheDocument();
      expect(input('Period (ms)')).toHaveAttribute('aria-invalid', 'true');
      expect(onRunQuery).not.toHaveBeenCalled();
    });

    it('reports a stored shape that is no shape, showing it as stored', () => {
      setup({ shape: 'sin' as Shape });
      expect(shapePicker()).toHaveValue('sin');
      expect(
        screen.getByText('shape must be one of random, walk, sine, square, sawtooth, triangle, csv; got a string')
      ).toBeInTheDocument();
      expect(screen.queryByLabelText('Period (ms)')).not.toBeInTheDocument();
    });

    it('passes a typed period, noise and series on as numbers and runs on blur', () => {
      const { onChange, onRunQuery } = setup({ shape: 'sine' });
      fireEvent.change(input('Period (ms)'), { target: { value: '5000' } });
      fireEvent.change(input('Noise'), { target: { value: '0.25' } });
      fireEvent.change(input('Series'), { target: { value: '4' } });
      expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', shape: 'sine', period: 5000, noise: 0.25, series: 4 });
      expect(onRunQuery).not.toHaveBeenCalled();
      fireEvent.blur(input('Series'));
      expect(onRunQuery).toHaveBeenCalledTimes(1);
    });

    it('shows noise out of range on its field and does not run', () => {
      const { onRunQuery } = setup({});
      fireEvent.change(input('Noise'), { target: { value: '1.5' } });
      fireEvent.blur(input('Noise'));
      const message = screen.getByText('noise must be a number from 0 to 1; got 1.5');
      expect(input('Noise')).toHaveAttribute('aria-invalid', 'true');
      expect(input('Noise').getAttribute('aria-describedby')).toBe(message.closest('[id]')?.id);
      expect(input('Series')).toHaveAttribute('aria-invalid', 'false');
      expect(onRunQuery).not.toHaveBeenCalled();
    });

    it('names the maxSeries setting when there are more series than the data source allows', () => {
      const { onRunQuery } = setup({}, makeDataSource({ maxSeries: 8 }));
      fireEvent.change(input('Series'), { target: { value: '9' } });
      fireEvent.blur(input('Series'));
      expect(
        screen.getByText("series must be a whole number from 1 to 8 (the data source's maxSeries); got 9")
      ).toBeInTheDocument();
      expect(input('Series')).toHaveAttribute('aria-invalid', 'true');
      expect(onRunQuery).not.toHaveBeenCalled();
    });

    it('counts every series towards the points per second, on the tick interval', () => {
      setup({ tickInterval: 10 }, makeDataSource({ maxPointsPerSecond: 1000 }));
      expect(screen.queryByText(/points per second/)).not.toBeInTheDocument();
      fireEvent.change(input('Series'), { target: { value: '20' } });
      expect(
        screen.getByText(
          "tickInterval 10 ms with 20 series makes 2000 points per second, more than the data source's maxPointsPerSecond of 1000; use a tickInterval of at least 20 ms, fewer series, or raise maxPointsPerSecond"
        )
      ).toBeInTheDocument();
      expect(input('Tick interval (ms)')).toHaveAttribute('aria-invalid', 'true');
    });

    it('lists the errors of a row in the order of the contract', () => {
      setup({ shape: 'sine', period: 0, noise: -1, seed: -1 });
      const messages = screen.getAllByText(/^(period|noise|seed) must/).map((m) => m.textContent?.split(' ')[0]);
      expect(messages).toEqual(['seed', 'period', 'noise']);
    });
  });
  describe('names and variables', () => {
    const text = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

    it('edits labels and alias, flags a wrong pair on its field and does not run', () => {
      const { onChange, onRunQuery } = setup({ series: 2 });
      expect(text('Labels')).toHaveAttribute('placeholder', 'host=web-$seriesIndex, dc=eu');
      fireEvent.change(text('Labels'), { target: { value: 'host=web-$seriesIndex, dc' } });
      fireEvent.blur(text('Labels'));
      const message = screen.getByText(
        'labels must be comma-separated key=value pairs, e.g. host=web-$seriesIndex, dc=eu; got "dc" without "="'
      );
      expect(text('Labels')).toHaveAttribute('aria-invalid', 'true');
      expect(text('Labels').getAttribute('aria-describedby')).toBe(message.closest('[id]')?.id);
      expect(onRunQuery).not.toHaveBeenCalled();

      fireEvent.change(text('Labels'), { target: { value: 'host=web-$seriesIndex, dc=eu' } });
      fireEvent.change(text('Alias'), { target: { value: 'cpu ${region}' } });
      expect(
        screen.getByText(
          'alias refers to ${region}, which is not a key of the labels: use $seriesIndex or ${dc}, ${host}'
        )
      ).toBeInTheDocument();
      fireEvent.change(text('Alias'), { target: { value: 'cpu ${host}' } });
      fireEvent.blur(text('Alias'));
      expect(onRunQuery).toHaveBeenCalledTimes(1);
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ labels: 'host=web-$seriesIndex, dc=eu', alias: 'cpu ${host}' })
      );
    });

    it('accepts a dashboard variable in a numeric field and runs on blur', () => {
      const { onChange, onRunQuery } = setup({});
      fireEvent.change(input('Tick interval (ms)'), { target: { value: '$tick' } });
      expect(input('Tick interval (ms)')).toHaveValue('$tick');
      expect(input('Tick interval (ms)')).toHaveAttribute('aria-invalid', 'false');
      fireEvent.blur(input('Tick interval (ms)'));
      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ tickInterval: '$tick' }));
      expect(onRunQuery).toHaveBeenCalledTimes(1);
    });

    it('stores numeric text as its number once typed, so alert rules read a number', () => {
      const { onChange, onRunQuery } = setup({});
      fireEvent.change(input('Tick interval (ms)'), { target: { value: '1e3' } });
      expect(input('Tick interval (ms)')).toHaveValue('1e3');
      fireEvent.blur(input('Tick interval (ms)'));
      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ tickInterval: 1000 }));
      expect(onRunQuery).toHaveBeenCalledTimes(1);
    });

    describe('with a dashboard variable named shape', () => {
      beforeEach(() =>
        setTemplateSrv({
          getVariables: () => [{ name: 'shape' }],
          replace: (t?: string) => t ?? '',
        } as unknown as TemplateSrv)
      );
      afterEach(() => setTemplateSrv(undefined as unknown as TemplateSrv));

      it('takes the variable typed into Shape, runs the query and shows the period and values it may need', () => {
        const { onChange, onRunQuery } = setup({ tickInterval: 1000 });
        fireEvent.change(shapePicker(), { target: { value: '$shape' } });
        const custom = Array.from(document.querySelectorAll<HTMLElement>('[role="option"]')).find((o) =>
          o.textContent?.includes('$shape')
        );
        expect(custom).toBeDefined();
        fireEvent.click(custom!);
        expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', tickInterval: 1000, shape: '$shape' });
        expect(onRunQuery).toHaveBeenCalledTimes(1);
        expect(shapePicker()).toHaveValue('$shape');
        expect(input('Period (ms)')).toBeInTheDocument();
        expect(screen.getByLabelText('Values')).toBeInTheDocument();
        expect(screen.queryByText(/^shape must be/)).not.toBeInTheDocument();
      });

      it('does not judge the period or values of a shape from the variable, but still judges the other fields', () => {
        const { onRunQuery } = setup({ shape: '${shape}', period: 0, values: '1,2', noise: 2 });
        expect(screen.queryByText(/^(shape|period|values) must/)).not.toBeInTheDocument();
        expect(input('Period (ms)')).toHaveAttribute('aria-invalid', 'false');
        expect(screen.getByText('noise must be a number from 0 to 1; got 2')).toBeInTheDocument();
        fireEvent.change(input('Noise'), { target: { value: '0.5' } });
        fireEvent.blur(input('Noise'));
        expect(onRunQuery).toHaveBeenCalledTimes(1);
      });
    });

    it('refuses text that is neither a number nor a variable', () => {
      const { onRunQuery } = setup({});
      fireEvent.change(input('Seed'), { target: { value: 'abc' } });
      fireEvent.blur(input('Seed'));
      expect(
        screen.getByText('seed must be a whole number from 0 to 9007199254740991; got a string')
      ).toBeInTheDocument();
      expect(onRunQuery).not.toHaveBeenCalled();
    });
  });
});
