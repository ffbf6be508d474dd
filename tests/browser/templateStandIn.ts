import type * as Runtime from '@grafana/runtime';

/** DASHBOARD_VARIABLES are the dashboard's variables the query editor is shown under, with their current values. */
export const DASHBOARD_VARIABLES: Readonly<Record<string, string>> = { tick: '500' };

/** The reference forms Grafana's template service replaces: ${name}, ${name:format}, [[name]], [[name:format]], $name. */
const REFERENCE = /\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::\w+)?\]\]|\$(\w+)/g;

/**
 * startTemplateStandIn replaces Grafana's template service, which lives in
 * Grafana's own frontend and in no npm package: a panel's queries always
 * pass through it (the DataSource's applyTemplateVariables calls it), so
 * without it a query holding a variable could not run at all. It knows the
 * DASHBOARD_VARIABLES and, like Grafana, leaves a reference to any other
 * name as it is.
 */
export function startTemplateStandIn(runtime: typeof Runtime) {
  const replace = (text?: string) =>
    (text ?? '').replace(REFERENCE, (whole, braced, bracketed, plain) => {
      const value = DASHBOARD_VARIABLES[braced ?? bracketed ?? plain];
      return value ?? whole;
    });
  runtime.setTemplateSrv({
    replace,
    getVariables: () => Object.keys(DASHBOARD_VARIABLES).map((name) => ({ name, type: 'custom' })),
    containsTemplate: (text?: string) => replace(text) !== (text ?? ''),
    updateTimeRange: () => {},
  } as unknown as Runtime.TemplateSrv);
}
