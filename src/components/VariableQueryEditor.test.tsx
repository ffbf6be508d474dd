import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { makeDataSource } from '../testUtils';
import { VariableQueryEditor } from './VariableQueryEditor';

describe('VariableQueryEditor', () => {
  it('saves the series, labels and label key on blur', () => {
    const onChange = jest.fn();
    render(
      <VariableQueryEditor
        query={{ refId: 'variable' }}
        datasource={makeDataSource()}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />
    );
    fireEvent.change(screen.getByLabelText('Series'), { target: { value: '5' } });
    fireEvent.change(screen.getByLabelText('Labels'), { target: { value: 'host=web-$seriesIndex' } });
    fireEvent.change(screen.getByLabelText('Values of label'), { target: { value: 'host' } });
    fireEvent.blur(screen.getByLabelText('Values of label'));
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'variable',
      series: 5,
      labels: 'host=web-$seriesIndex',
      labelKey: 'host',
    });
  });

  it('says what is missing or wrong', () => {
    render(
      <VariableQueryEditor
        query={{ refId: 'variable', series: 3, labels: 'dc=eu' }}
        datasource={makeDataSource()}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.getByText('Name the label whose values the variable lists, e.g. host.')).toBeInTheDocument();
    expect(
      screen.getByText(
        'labels gives all 3 series the same labels dc=eu: put $seriesIndex in a value, e.g. host=web-$seriesIndex'
      )
    ).toBeInTheDocument();
  });
});
