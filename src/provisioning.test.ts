/**
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 *
 * (The yaml package's browser build is ES modules only; the node condition
 * gives jest its CommonJS build.)
 */
/**
 * The provisioned data source and demo dashboard are what a newcomer sees
 * first (scripts/start.sh): every setting and every panel query must pass the
 * same rules the editors and the backend apply, or a panel would open with an
 * error instead of data.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';

import { TickstreamQuery } from './types';
import { validateQuery, validateSettings } from './validation';
import { interpolateQuery, Template } from './variables';

const provisioning = join(__dirname, '..', 'provisioning');

function provisionedDataSource() {
  const file = parse(readFileSync(join(provisioning, 'datasources', 'datasources.yml'), 'utf8'));
  return file.datasources.find((ds: { uid: string }) => ds.uid === 'tickstream');
}

interface DashboardVariable {
  name: string;
  type: string;
  current?: { value: string };
  query?: unknown;
}

function dashboards(): Array<{ file: string; dashboard: Record<string, any> }> {
  const dir = join(provisioning, 'dashboards');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(dir, file), 'utf8')) }));
}

/** dashboardTemplate replaces a dashboard's variables by their provisioned current values, as the panel does. */
function dashboardTemplate(variables: DashboardVariable[]): Template {
  const values = new Map(variables.map((v) => [v.name, v.current?.value ?? '']));
  return {
    replace: (text) =>
      text.replace(/\$\{(\w+)\}|\[\[(\w+)\]\]|\$(\w+)/g, (ref, a, b, c) => values.get(a ?? b ?? c) ?? ref),
    isVariable: (name) => values.has(name),
  };
}

function dashboardQueries(): Array<{ where: string; query: Record<string, unknown> }> {
  return dashboards().flatMap(({ file, dashboard }) => {
    const template = dashboardTemplate(dashboard.templating?.list ?? []);
    return dashboard.panels.flatMap((panel: { title: string; targets: TickstreamQuery[] }) =>
      panel.targets.map((query) => ({
        where: `${file}: ${panel.title} (${query.refId})`,
        query: interpolateQuery(query, template) as unknown as Record<string, unknown>,
      }))
    );
  });
}

describe('provisioning', () => {
  const { settings, errors } = validateSettings(provisionedDataSource().jsonData);

  it('provisions valid data source settings', () => {
    expect(errors).toEqual([]);
  });

  it.each(dashboardQueries().map(({ where, query }) => [where, query]))('%s is a valid query', (_, query) => {
    expect(validateQuery(query, settings)).toEqual([]);
  });

  it('shows labels, alias and a dashboard variable in one panel, and a panel repeated by a Tickstream variable', () => {
    const { dashboard } = dashboards()[0];
    const variables: DashboardVariable[] = dashboard.templating.list;
    const targets: Array<TickstreamQuery & { refId: string }> = dashboard.panels.flatMap(
      (p: { targets: TickstreamQuery[] }) => p.targets
    );
    expect(
      targets.some((t) => t.labels?.includes('$seriesIndex') && t.alias && typeof t.tickInterval === 'string')
    ).toBe(true);
    const server = variables.find((v) => v.type === 'query');
    expect(server?.query).toMatchObject({ labelKey: 'host', labels: 'host=web-$seriesIndex' });
    expect(dashboard.panels.some((p: { repeat?: string }) => p.repeat === server?.name)).toBe(true);
  });

  it('shows nulls and outages in a time series, states in a state timeline and log lines in a logs panel', () => {
    const { dashboard } = dashboards()[0];
    const panels: Array<{ type: string; targets: Array<Record<string, unknown>> }> = dashboard.panels;
    const has = (type: string, test: (q: Record<string, unknown>) => boolean) =>
      panels.some((p) => p.type === type && p.targets.some(test));
    expect(has('timeseries', (q) => Number(q.dropPercent) > 0 && Number(q.outagePeriod) > 0)).toBe(true);
    expect(has('state-timeline', (q) => q.kind === 'state')).toBe(true);
    expect(has('logs', (q) => q.kind === 'logs')).toBe(true);
  });

  it('provisions a valid Tickstream annotation with outages and events, shown on panels with the same outages', () => {
    const { dashboard } = dashboards()[0];
    const annotations: Array<{
      datasource?: { uid: string };
      target: Record<string, unknown>;
      filter?: { ids: number[] };
    }> = dashboard.annotations.list.filter((a: { datasource?: { uid: string } }) => a.datasource?.uid === 'tickstream');
    expect(annotations).toHaveLength(1);
    const [anno] = annotations;
    expect(validateQuery(anno.target, settings)).toEqual([]);
    expect(Number(anno.target.eventPeriod)).toBeGreaterThan(0);
    const outages = (q: Record<string, unknown>) => [q.tickInterval, q.outagePeriod, q.outageDuration].join('/');
    for (const id of anno.filter?.ids ?? []) {
      const panel = dashboard.panels.find((p: { id: number }) => p.id === id);
      expect(outages(panel.targets[0])).toBe(outages(anno.target));
    }
  });

  it('shows exemplars with a trace link', () => {
    const queries = dashboardQueries().map(({ query }) => query);
    expect(queries.some((q) => Number(q.exemplars) > 0 && String(q.exemplarUrl).includes('${__value.raw}'))).toBe(true);
  });

  it('shows every shape, a 100-series panel and a fast-tick panel', () => {
    const queries = dashboardQueries().map(({ query }) => query);
    const shapes = new Set(queries.map((q) => q.shape ?? 'random'));
    expect([...shapes].sort()).toEqual(['csv', 'random', 'sawtooth', 'sine', 'square', 'triangle', 'walk']);
    expect(queries.some((q) => q.series === 100)).toBe(true);
    expect(
      queries.some((q) => typeof q.tickInterval === 'number' && q.tickInterval < 1000 / settings.maxMessageRate)
    ).toBe(true);
  });

  it('shows a query that fails on schedule with its own message, and a slow one', () => {
    const queries = dashboardQueries().map(({ query }) => query);
    expect(queries.some((q) => Number(q.failPercent) > 0 && Number(q.failPercent) < 100 && q.failMessage)).toBe(true);
    expect(queries.some((q) => Number(q.queryDelay) > 0 && Number(q.queryDelayJitter) > 0)).toBe(true);
  });
});
