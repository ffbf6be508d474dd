import { renderHook } from '@testing-library/react';

import { useOncePerChoice } from './useOncePerChoice';

describe('useOncePerChoice', () => {
  it("acts once when a picker reports one choice three times, as Grafana 12.4's Combobox does", () => {
    const onChoice = jest.fn();
    const query = { refId: 'A', shape: 'random' };
    const { result } = renderHook(() => useOncePerChoice<string>(query, onChoice));
    result.current({ value: 'sine' });
    result.current({ value: 'sine' });
    result.current({ value: 'sine' });
    expect(onChoice).toHaveBeenCalledTimes(1);
    expect(onChoice).toHaveBeenCalledWith({ value: 'sine' });
  });

  it('acts on another value for the same query, and on the same value once the query changed', () => {
    const onChoice = jest.fn();
    let query = { refId: 'A', shape: 'random' };
    const { result, rerender } = renderHook(() => useOncePerChoice<string>(query, onChoice));
    result.current({ value: 'sine' });
    result.current({ value: 'walk' });
    expect(onChoice.mock.calls.map(([o]) => o.value)).toEqual(['sine', 'walk']);
    // The editor re-rendered with a new query (the user went back to sine): a new choice.
    query = { refId: 'A', shape: 'walk' };
    rerender();
    result.current({ value: 'sine' });
    expect(onChoice).toHaveBeenCalledTimes(3);
  });
});
