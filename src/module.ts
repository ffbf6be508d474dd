import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import { TickstreamQuery, TickstreamSettings } from './types';

export const plugin = new DataSourcePlugin<DataSource, TickstreamQuery, TickstreamSettings>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
