import { CustomVariableSupport, DataQueryRequest, DataQueryResponse } from '@grafana/data';
import { Observable } from 'rxjs';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { DataSource } from './datasource';
import { LABEL_VALUES, TickstreamQuery } from './types';

/**
 * TickstreamVariableSupport lets a Tickstream query back a dashboard
 * variable: the values one label takes across the query's series, in
 * series order (host of host=web-$seriesIndex with 5 series gives web-1 …
 * web-5), so that "repeat by variable" and "All" can be tested. The
 * backend works the labels out (queryType labelValues), so label
 * templating lives in Go only.
 */
export class TickstreamVariableSupport extends CustomVariableSupport<DataSource, TickstreamQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<TickstreamQuery>): Observable<DataQueryResponse> {
    return this.datasource.query({
      ...request,
      targets: request.targets.map((t) => ({ ...t, queryType: LABEL_VALUES })),
    });
  }
}
