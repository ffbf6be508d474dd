import { expect, test } from '@grafana/plugin-e2e';

import { TickstreamSettings } from '../src/types';

// The data source Grafana is provisioned with (provisioning/datasources/datasources.yml).
const provisioned = { fileName: 'datasources.yml' };

test('smoke: the config editor shows both limits with their defaults', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource(provisioned);
  await createDataSourceConfigPage({ type: ds.type });
  await expect(page.getByRole('spinbutton', { name: 'Minimum tick interval (ms)' })).toHaveAttribute(
    'placeholder',
    '10'
  );
  await expect(page.getByRole('spinbutton', { name: 'Max points per second' })).toHaveAttribute('placeholder', '10000');
  await expect(page.getByRole('spinbutton', { name: 'Max series per query' })).toHaveAttribute('placeholder', '100');
  await expect(page.getByRole('spinbutton', { name: 'Max messages per second' })).toHaveAttribute('placeholder', '20');
});

test('"Save & test" succeeds with the defaults', async ({ createDataSourceConfigPage, readProvisionedDataSource }) => {
  const ds = await readProvisionedDataSource(provisioned);
  const configPage = await createDataSourceConfigPage({ type: ds.type });
  await expect(configPage.saveAndTest()).toBeOK();
});

test('"Save & test" succeeds with the provisioned settings', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource<TickstreamSettings>(provisioned);
  const configPage = await createDataSourceConfigPage({ type: ds.type });
  await page
    .getByRole('spinbutton', { name: 'Minimum tick interval (ms)' })
    .fill(String(ds.jsonData.minTickInterval ?? ''));
  await page
    .getByRole('spinbutton', { name: 'Max points per second' })
    .fill(String(ds.jsonData.maxPointsPerSecond ?? ''));
  await page.getByRole('spinbutton', { name: 'Max series per query' }).fill(String(ds.jsonData.maxSeries ?? ''));
  await page
    .getByRole('spinbutton', { name: 'Max messages per second' })
    .fill(String(ds.jsonData.maxMessageRate ?? ''));
  await page.getByRole('spinbutton', { name: 'Max streams' }).fill(String(ds.jsonData.maxStreams ?? ''));
  await page
    .getByRole('spinbutton', { name: 'Max total points per second' })
    .fill(String(ds.jsonData.maxTotalPointsPerSecond ?? ''));
  await expect(configPage.saveAndTest()).toBeOK();
});

test('a minimum tick interval of 0 is refused in the editor and by the health check', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource(provisioned);
  const configPage = await createDataSourceConfigPage({ type: ds.type });
  const message = 'minTickInterval must be a whole number of milliseconds from 1 to 86400000; got 0';
  await page.getByRole('spinbutton', { name: 'Minimum tick interval (ms)' }).fill('0');
  await expect(page.getByText(message)).toBeVisible();
  await expect(configPage.saveAndTest()).not.toBeOK();
  await expect(configPage).toHaveAlert('error', { hasText: 'minTickInterval' });
});

test('more than 10000 series per query is refused in the editor and by the health check', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource(provisioned);
  const configPage = await createDataSourceConfigPage({ type: ds.type });
  await page.getByRole('spinbutton', { name: 'Max series per query' }).fill('10001');
  await expect(page.getByText('maxSeries must be a whole number from 1 to 10000; got 10001')).toBeVisible();
  await expect(configPage.saveAndTest()).not.toBeOK();
  await expect(configPage).toHaveAlert('error', { hasText: 'maxSeries' });
});
