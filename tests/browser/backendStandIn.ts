import type * as Runtime from '@grafana/runtime';
import { of } from 'rxjs';

/** BackendRequest is what the plugin asked Grafana's server for. */
export type BackendRequest = { method: string; url: string; data: unknown };

/** NextAnswer holds the body of the next answer, when a check recorded what the plugin's backend answers. */
export type NextAnswer = { body?: unknown };

/**
 * startBackendStandIn replaces Grafana's backend service, the one part of
 * Grafana's frontend runtime that needs a server: every request is recorded
 * and answered with an empty result per query, as a backend with no data
 * would, or once with next.body when a check set it. The DataSource's own
 * request building, filtering and response handling still run.
 */
export function startBackendStandIn(runtime: typeof Runtime, requests: BackendRequest[], next: NextAnswer = {}) {
  const answer = (options: { method?: string; url: string; data?: any }) => {
    requests.push({ method: options.method ?? 'GET', url: options.url, data: options.data });
    const results: Record<string, object> = {};
    for (const q of options.data?.queries ?? []) {
      results[q.refId] = { status: 200, frames: [] };
    }
    const body = next.body ?? { results };
    next.body = undefined;
    return { data: body, status: 200, ok: true, headers: new Headers(), url: options.url, config: options };
  };
  runtime.setBackendSrv({
    fetch: (options: any) => of(answer(options)),
    request: async (options: any) => answer(options).data,
    get: async (url: string) => answer({ url }).data,
    post: async (url: string, data: unknown) => answer({ method: 'POST', url, data }).data,
  } as unknown as Runtime.BackendSrv);
}
