import { DataSourceWithBackend } from '@grafana/runtime';

export class DataSource extends DataSourceWithBackend {}
