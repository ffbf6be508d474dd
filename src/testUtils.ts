import { DataSourceInstanceSettings, PluginType } from '@grafana/data';

import { DataSource } from './datasource';
import { TickstreamSettings } from './types';

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
