import { ComponentType, createElement, useState } from 'react';
import { render, screen } from '@testing-library/react';
import { DataSourceInstanceSettings, PluginType, QueryEditorProps } from '@grafana/data';

import { DataSource } from './datasource';
import { TickstreamQuery, TickstreamSettings } from './types';

/** makeDataSource builds a DataSource the way Grafana does, from the smallest instance settings it reads. */
export function makeDataSource(jsonData: TickstreamSettings = {}): DataSource {
  const instanceSettings: DataSourceInstanceSettings<TickstreamSettings> = {
    uid: 'tickstream',
    type: 'tickstream-streaming-datasource',
    name: 'Tickstream',
    access: 'proxy',
    readOnly: false,
    jsonData,
    meta: {
      id: 'tickstream-streaming-datasource',
      name: 'Tickstream',
      type: PluginType.datasource,
      module: '',
      baseUrl: '',
      info: {
        author: { name: 'Tickstream' },
        description: '',
        links: [],
        logos: { small: '', large: '' },
        screenshots: [],
        updated: '',
        version: '',
      },
    },
  };
  return new DataSource(instanceSettings);
}

/**
 * mockLayoutForCombobox gives jsdom what @grafana/ui's Combobox measures and
 * jsdom lacks: a 2D canvas context for text widths (the scaffold's jest setup
 * stubs getContext to return nothing), non-zero element sizes (its virtual
 * list reads clientHeight, and renders no options at 0), and an
 * IntersectionObserver for the menu's scroll indicators. It returns the
 * function that restores all of them.
 */
export function mockLayoutForCombobox(): () => void {
  const getContext = HTMLCanvasElement.prototype.getContext;
  const getBoundingClientRect = Element.prototype.getBoundingClientRect;
  const context = { font: '', measureText: (text: string) => ({ width: text.length * 8 }) };
  HTMLCanvasElement.prototype.getContext = (() => context) as unknown as typeof getContext;
  const rect = { x: 0, y: 0, top: 0, left: 0, bottom: 120, right: 120, width: 120, height: 120 };
  Element.prototype.getBoundingClientRect = () => ({ ...rect, toJSON: () => rect });
  const sizes = ['clientWidth', 'clientHeight', 'offsetWidth', 'offsetHeight'] as const;
  const sizeDescriptors = sizes.map((name) => Object.getOwnPropertyDescriptor(HTMLElement.prototype, name));
  for (const name of sizes) {
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => 120 });
  }
  const hadObserver = 'IntersectionObserver' in window;
  if (!hadObserver) {
    Object.defineProperty(window, 'IntersectionObserver', {
      configurable: true,
      writable: true,
      value: class {
        observe() {}
        unobserve() {}
        disconnect() {}
        takeRecords() {
          return [];
        }
      },
    });
  }
  return () => {
    HTMLCanvasElement.prototype.getContext = getContext;
    Element.prototype.getBoundingClientRect = getBoundingClientRect;
    sizes.forEach((name, i) => {
      const descriptor = sizeDescriptors[i];
      if (descriptor) {
        Object.defineProperty(HTMLElement.prototype, name, descriptor);
      } else {
        delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name];
      }
    });
    if (!hadObserver) {
      delete (window as { IntersectionObserver?: unknown }).IntersectionObserver;
    }
  };
}

/** withComboboxLayout gives the tests of the enclosing describe what Combobox measures (mockLayoutForCombobox). */
export function withComboboxLayout() {
  let restoreLayout: () => void;
  beforeAll(() => {
    restoreLayout = mockLayoutForCombobox();
  });
  afterAll(() => restoreLayout());
}

type Editor = ComponentType<QueryEditorProps<DataSource, TickstreamQuery, TickstreamSettings>>;

/** Harness keeps the query in state, as Grafana does, so an edit is rendered before the blur that follows it. */
function Harness(props: {
  editor: Editor;
  initial: TickstreamQuery;
  datasource: DataSource;
  onChange: (q: TickstreamQuery) => void;
  onRunQuery: () => void;
}) {
  const [query, setQuery] = useState(props.initial);
  return createElement(props.editor, {
    query,
    datasource: props.datasource,
    onChange: (q: TickstreamQuery) => {
      props.onChange(q);
      setQuery(q);
    },
    onRunQuery: props.onRunQuery,
  });
}

/**
 * renderEditor renders a query editor (or one of its sections) for query A
 * with initial's fields, and returns the mocks that record its onChange and
 * onRunQuery calls.
 */
export function renderEditor(editor: Editor, initial: Partial<TickstreamQuery>, datasource = makeDataSource()) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(createElement(Harness, { editor, initial: { refId: 'A', ...initial }, datasource, onChange, onRunQuery }));
  return { onChange, onRunQuery };
}

/** field is the input labelled label. */
export const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
