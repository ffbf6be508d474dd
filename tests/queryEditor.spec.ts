import { expect, test } from '@grafana/plugin-e2e';

// The data source Grafana is provisioned with (provisioning/datasources/datasources.yml).
const provisioned = { fileName: 'datasources.yml' };

test('smoke: a new query shows the defaults', async ({ panelEditPage, readProvisionedDataSource }) => {
  const ds = await readProvisionedDataSource(provisioned);
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow('A');
  await expect(row.getByRole('textbox', { name: 'Tick interval (ms)' })).toHaveValue('1000');
  await expect(row.getByRole('textbox', { name: 'Lower limit' })).toHaveValue('0');
  await expect(row.getByRole('textbox', { name: 'Upper limit' })).toHaveValue('100');
  await expect(row.getByRole('textbox', { name: 'Seed' })).toHaveValue('0');
  await expect(row.getByRole('combobox', { name: 'Shape' })).toHaveValue('Random');
  await expect(row.getByRole('textbox', { name: 'Noise' })).toHaveValue('0');
  await expect(row.getByRole('textbox', { name: 'Series' })).toHaveValue('1');
  // Random has no period, so the editor does not offer one.
  await expect(row.getByRole('textbox', { name: 'Period (ms)' })).toHaveCount(0);
});

test('invalid input is named on its field', async ({ panelEditPage, readProvisionedDataSource }) => {
  const ds = await readProvisionedDataSource(provisioned);
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow('A');

  await row.getByRole('textbox', { name: 'Lower limit' }).fill('200');
  await row.getByRole('textbox', { name: 'Lower limit' }).blur();
  await expect(
    row.getByText('lowerLimit must not be greater than upperLimit; got lowerLimit 200 and upperLimit 100')
  ).toBeVisible();

  await row.getByRole('textbox', { name: 'Tick interval (ms)' }).fill('');
  await expect(
    row.getByText(/^tickInterval must be a whole number of milliseconds from 10 .*; got NaN$/)
  ).toBeVisible();
});

test('a valid edit runs the query when the field loses focus', async ({ panelEditPage, readProvisionedDataSource }) => {
  const ds = await readProvisionedDataSource(provisioned);
  await panelEditPage.datasource.set(ds.name);
  const upper = panelEditPage.getQueryEditorRow('A').getByRole('textbox', { name: 'Upper limit' });
  await upper.fill('50');
  const queryRequest = panelEditPage.waitForQueryDataRequest((request) =>
    Promise.resolve(request.postData()?.includes('"upperLimit":50') ?? false)
  );
  await upper.blur();
  await expect(await queryRequest).toBeTruthy();
});

test('a panel receives the history and a live channel', async ({ panelEditPage, readProvisionedDataSource }) => {
  const ds = await readProvisionedDataSource(provisioned);
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow('A');
  // Equal limits make every value 7, so the table's content is known in advance.
  await row.getByRole('textbox', { name: 'Upper limit' }).fill('7');
  await row.getByRole('textbox', { name: 'Lower limit' }).fill('7');
  await row.getByRole('textbox', { name: 'Lower limit' }).blur();
  await panelEditPage.setVisualization('Table');

  const response = panelEditPage.refreshPanel();
  await expect(response).toBeOK();
  const body = await (await response).json();
  expect(JSON.stringify(body)).toContain('"channel":"ds/');
  await expect(panelEditPage.panel.getErrorIcon()).toHaveCount(0);
  await expect(panelEditPage.panel.data).toContainText(['7']);
});

test('choosing a periodic shape shows its period and runs the query', async ({
  panelEditPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource(provisioned);
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow('A');
  const queryRequest = panelEditPage.waitForQueryDataRequest((request) =>
    Promise.resolve(request.postData()?.includes('"shape":"sine"') ?? false)
  );
  await row.getByRole('combobox', { name: 'Shape' }).click();
  // The menu is rendered in a portal, outside the query row.
  await page.getByRole('option', { name: /^Sine/ }).click();
  await expect(await queryRequest).toBeTruthy();
  await expect(row.getByRole('textbox', { name: 'Period (ms)' })).toBeVisible();
});

test('signal options out of range are named on their field', async ({ panelEditPage, readProvisionedDataSource }) => {
  const ds = await readProvisionedDataSource(provisioned);
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow('A');

  await row.getByRole('textbox', { name: 'Noise' }).fill('1.5');
  await row.getByRole('textbox', { name: 'Noise' }).blur();
  await expect(row.getByText('noise must be a number from 0 to 1; got 1.5')).toBeVisible();

  // The provisioned data source keeps the default maxSeries of 100.
  await row.getByRole('textbox', { name: 'Series' }).fill('101');
  await row.getByRole('textbox', { name: 'Series' }).blur();
  await expect(
    row.getByText("series must be a whole number from 1 to 100 (the data source's maxSeries); got 101")
  ).toBeVisible();
});

test('a query with several series returns one labelled value field per series', async ({
  panelEditPage,
  readProvisionedDataSource,
}) => {
  const ds = await readProvisionedDataSource(provisioned);
  await panelEditPage.datasource.set(ds.name);
  const series = panelEditPage.getQueryEditorRow('A').getByRole('textbox', { name: 'Series' });
  await series.fill('3');
  await series.blur();

  const response = panelEditPage.refreshPanel();
  await expect(response).toBeOK();
  const body = JSON.stringify(await (await response).json());
  for (const n of ['1', '2', '3']) {
    expect(body).toContain(`"series":"${n}"`);
  }
  await expect(panelEditPage.panel.getErrorIcon()).toHaveCount(0);
});
