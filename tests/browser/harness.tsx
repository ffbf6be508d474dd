/**
 * The page side of the browser suite: what Grafana's frontend does to load
 * and show a data source plugin, without a Grafana server.
 *
 * Grafana loads a plugin's module.js with SystemJS (its AMD extra), after
 * registering the packages it shares with every plugin under their bare
 * names; this page does the same with the packages of one Grafana line
 * (lines.mjs: bundle.mjs resolves these imports in the line's node_modules), then
 * mounts the plugin's own editors with an instance of its own DataSource
 * class, inside Grafana's theme and global styles. The stand-ins are the two
 * services that live outside npm: the backend service (getBackendSrv), which
 * needs a server (it records every request and answers with empty results),
 * and the template service (getTemplateSrv), which knows a dashboard's
 * variables (templateStandIn.ts).
 */
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import * as lodash from 'lodash';
import React, { useRef, useState } from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot, Root } from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';

import { BackendRequest, NextAnswer, startBackendStandIn } from './backendStandIn';
import { startTemplateStandIn } from './templateStandIn';

type System = {
  set(id: string, ns: object): void;
  addImportMap(map: { imports: Record<string, string> }): void;
  import(url: string): Promise<Record<string, unknown>>;
};

declare global {
  interface Window {
    System: System;
    tickstream: Harness;
  }
}

/** A CommonJS package: the AMD extra hands a module marked so its default export itself. */
const commonJS = (exports: object) => ({ default: exports, __useDefault: true });

/**
 * sharedModules are the modules Grafana provides to plugins (the externals
 * of create-plugin's webpack config) that this project has installed.
 */
const sharedModules: Record<string, object> = {
  react: commonJS(React),
  'react/jsx-runtime': commonJS(jsxRuntime),
  'react-dom': commonJS(ReactDOM),
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  lodash: commonJS(lodash),
  rxjs,
};

function shareModules() {
  const imports: Record<string, string> = {};
  for (const [name, ns] of Object.entries(sharedModules)) {
    const id = `package:${name}`;
    window.System.set(id, ns);
    imports[name] = id;
  }
  window.System.addImportMap({ imports });
}

type Plugin = grafanaData.DataSourcePlugin<any, any, any>;

const PLUGIN_ID = 'tickstream-streaming-datasource';

function instanceSettings(jsonData: object): grafanaData.DataSourceInstanceSettings<any> {
  return {
    id: 1,
    uid: 'tickstream',
    type: PLUGIN_ID,
    name: 'Tickstream',
    access: 'proxy',
    readOnly: false,
    jsonData,
    meta: { id: PLUGIN_ID, name: 'Tickstream', type: 'datasource', info: {} } as grafanaData.DataSourcePluginMeta,
  };
}

/** Themed shows its children as Grafana does by default: dark theme, Grafana's global styles. */
function Themed({ children }: { children: React.ReactNode }) {
  const theme = grafanaData.createTheme({ colors: { mode: 'dark' } });
  return (
    <grafanaData.ThemeContext.Provider value={theme}>
      <grafanaUi.GlobalStyles />
      <div style={{ padding: theme.spacing(2), background: theme.colors.background.primary }}>{children}</div>
    </grafanaData.ThemeContext.Provider>
  );
}

/** MountOptions describe one editor on the page. */
type MountOptions = {
  editor: 'query' | 'config';
  /** query: the stored query (absent: a new query, which Grafana starts from getDefaultQuery); config: the jsonData. */
  value?: Record<string, unknown>;
  /** jsonData of the data source whose query editor is shown. */
  jsonData?: object;
};

/** LiveExemplarsFixture is testdata/live-exemplars.json: what the plugin sends a live panel with exemplars. */
type LiveExemplarsFixture = {
  query: string;
  fromMs: number;
  toMs: number;
  maxDataPoints: number;
  queryData: string;
  path: string;
  initialData: string;
  messages: string[];
};

/** LiveFrame is a frame of a query() response, as a panel reads it. */
type LiveFrame = { name?: string; dataTopic?: string; channel?: string; fields: string[]; length: number };

/** Harness is what the suite calls in the page (window.tickstream). */
type Harness = {
  /**
   * liveExemplars runs the fixture's query through the DataSource with this
   * line's @grafana/runtime and a live service that keeps one
   * StreamingDataFrame of this line per channel, fed the history, then (on
   * the fixture's channel) the subscribe reply and the messages. It returns
   * the name of each channel's frame as the live service made it, and the
   * frames query() answered.
   */
  liveExemplars(
    fixture: LiveExemplarsFixture
  ): Promise<{ streamNames: Array<string | undefined>; frames: LiveFrame[] }>;
  mount(options: MountOptions): void;
  runs: number;
  requests: BackendRequest[];
  /** What DataSource.query reported as errors for the runs so far. */
  queryErrors: string[];
  /** Every value the editor passed to onChange (the query) or onOptionsChange (the jsonData), in order. */
  changes: unknown[];
  /** The React this page runs, and so shares with the plugin: the line's. */
  reactVersion: string;
};

let plugin: Plugin | undefined;
let root: Root | undefined;
const nextAnswer: NextAnswer = {};

const harness: Harness = {
  runs: 0,
  requests: [],
  queryErrors: [],
  changes: [],
  reactVersion: React.version,
  async liveExemplars(fixture) {
    if (!plugin) {
      throw new Error('the plugin is not loaded');
    }
    const { StreamingDataFrame, StreamingFrameAction } = grafanaData;
    const streamNames: Array<string | undefined> = [];
    grafanaRuntime.setGrafanaLiveSrv({
      // As Grafana's LiveDataStream and GrafanaLiveService do (src/testPanelMerge.ts).
      getDataStream: (options: grafanaRuntime.LiveDataStreamOptions) => {
        const buffer = StreamingDataFrame.empty({
          maxLength: 100,
          maxDelta: Infinity,
          action: StreamingFrameAction.Append,
        });
        const opts = { maxLength: 1000, maxDelta: Infinity, action: StreamingFrameAction.Append, ...options.buffer };
        buffer.resize(opts);
        if (options.frame) {
          buffer.push(options.frame);
        }
        if (options.addr.path === fixture.path) {
          buffer.push(JSON.parse(fixture.initialData));
          fixture.messages.forEach((m) => buffer.push(JSON.parse(m)));
        }
        const frame = StreamingDataFrame.deserialize(buffer.serialize(undefined, opts));
        streamNames.push(frame.name);
        return rxjs.of({ data: [frame], key: options.addr.path, state: grafanaData.LoadingState.Streaming });
      },
    } as unknown as grafanaRuntime.GrafanaLiveSrv);
    nextAnswer.body = JSON.parse(fixture.queryData);
    const datasource = new plugin.DataSourceClass(instanceSettings({}));
    const request = {
      targets: [{ refId: 'A', ...JSON.parse(fixture.query) }],
      range: {
        from: grafanaData.dateTime(fixture.fromMs),
        to: grafanaData.dateTime(fixture.toMs),
        raw: { from: 'now-2s', to: 'now' },
      },
      rangeRaw: { from: 'now-2s', to: 'now' },
      interval: '1s',
      intervalMs: 1000,
      maxDataPoints: fixture.maxDataPoints,
      requestId: 'live-exemplars',
      scopedVars: {},
      timezone: 'utc',
      app: grafanaData.CoreApp.Dashboard,
      startTime: Date.now(),
    } as unknown as grafanaData.DataQueryRequest<any>;
    const responses: grafanaData.DataQueryResponse[] = await rxjs.lastValueFrom(
      rxjs.from(datasource.query(request) as rxjs.Observable<grafanaData.DataQueryResponse>).pipe(rxjs.toArray())
    );
    const frames: grafanaData.DataFrame[] = responses.flatMap((r) => r.data);
    return {
      streamNames,
      frames: frames.map((f) => ({
        name: f.name,
        dataTopic: f.meta?.dataTopic,
        channel: f.meta?.channel,
        fields: f.fields.map((field) => field.name),
        length: f.length,
      })),
    };
  },
  mount(options) {
    if (!plugin) {
      throw new Error('the plugin is not loaded');
    }
    harness.runs = 0;
    harness.requests.length = 0;
    harness.queryErrors.length = 0;
    harness.changes.length = 0;
    const element = document.getElementById('root')!;
    root?.unmount();
    root = createRoot(element);
    const body =
      options.editor === 'query' ? (
        <QueryEditorHost plugin={plugin} query={options.value} jsonData={options.jsonData ?? {}} />
      ) : (
        <ConfigEditorHost plugin={plugin} jsonData={options.value ?? {}} />
      );
    root.render(<Themed>{body}</Themed>);
  },
};

/** QueryEditorHost keeps the query as a panel editor does and runs it through the DataSource, as a panel would. */
function QueryEditorHost({ plugin, query, jsonData }: { plugin: Plugin; query?: object; jsonData: object }) {
  const [datasource] = useState(() => new plugin.DataSourceClass(instanceSettings(jsonData)));
  const [current, setCurrent] = useState(() => ({
    refId: 'A',
    ...(query ?? datasource.getDefaultQuery?.(grafanaData.CoreApp.PanelEditor)),
  }));
  const Editor = plugin.components.QueryEditor!;
  // Grafana's panel editor stores a changed query at once, so an editor that
  // calls onChange and then onRunQuery in one handler runs the changed query;
  // latest does that here, where the state only catches up on the next render.
  const latest = useRef(current);
  const onChange = (next: any) => {
    harness.changes.push(next);
    latest.current = next;
    setCurrent(next);
  };
  const onRunQuery = () => {
    harness.runs++;
    const request = {
      targets: [latest.current],
      range: grafanaData.getDefaultTimeRange(),
      interval: '1s',
      intervalMs: 1000,
      maxDataPoints: 100,
      requestId: `run-${harness.runs}`,
      scopedVars: {},
      timezone: 'utc',
      app: grafanaData.CoreApp.PanelEditor,
      startTime: Date.now(),
    } as unknown as grafanaData.DataQueryRequest<any>;
    datasource.query(request).subscribe({ error: (error: unknown) => harness.queryErrors.push(String(error)) });
  };
  return <Editor datasource={datasource} query={current} onChange={onChange} onRunQuery={onRunQuery} />;
}

/** ConfigEditorHost keeps the data source's settings as Grafana's settings page does. */
function ConfigEditorHost({ plugin, jsonData }: { plugin: Plugin; jsonData: object }) {
  const [options, setOptions] = useState(() => ({
    ...instanceSettings(jsonData),
    orgId: 1,
    typeName: 'Tickstream',
    typeLogoUrl: '',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    secureJsonFields: {},
    version: 1,
  }));
  const Editor = plugin.components.ConfigEditor!;
  const onOptionsChange = (next: any) => {
    harness.changes.push(next.jsonData);
    setOptions(next);
  };
  return <Editor options={options as any} onOptionsChange={onOptionsChange} />;
}

/**
 * load imports module.js as Grafana does and reports, on the page's title,
 * "loaded" or what failed, so the suite can tell a bundle that cannot load.
 */
async function load() {
  window.tickstream = harness;
  startBackendStandIn(grafanaRuntime, harness.requests, nextAnswer);
  startTemplateStandIn(grafanaRuntime);
  shareModules();
  try {
    const exports = await window.System.import('/plugin/module.js');
    if (!(exports.plugin instanceof grafanaData.DataSourcePlugin)) {
      throw new Error('module.js does not export a DataSourcePlugin named plugin');
    }
    plugin = exports.plugin;
    document.title = 'loaded';
  } catch (error) {
    document.title = `failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

load();
