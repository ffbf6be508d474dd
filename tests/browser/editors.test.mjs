// editors.test.mjs: the production dist/module.js, loaded the way Grafana
// loads a plugin, and its editors as a user sees them in the browser, on
// the page of one Grafana line (lines.mjs; run.mjs runs this file once per
// line, so every check here runs on every line). Checks find fields by
// their visible label, so a new field is one more line in FIELDS or one more
// test. Every run writes the screenshots into .cache/browser/<line>/screenshots
// (scripts/browser-test.sh --update-screenshots copies the newest line's
// into src/img/screenshots).
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { currentLine, describeLine, GRAFANA_PACKAGES, installedVersion, outDirOf } from './lines.mjs';
import { loadPlugin, openBrowser, root } from './page.mjs';

const line = currentLine();
const distDir = path.join(root, 'dist');
const shotsDir = path.join(outDirOf(line), 'screenshots');

/** The numeric fields of a new query and the values they show: the defaults of DEVELOPERS.md. */
const FIELDS = {
  'Tick interval (ms)': '1000',
  'Lower limit': '0',
  'Upper limit': '100',
  Series: '1',
  Noise: '0',
  Seed: '0',
};

/**
 * The fields a new query leaves empty (their default is "", none) and the
 * example or default each shows as its placeholder.
 */
const EMPTY_FIELDS = {
  Labels: 'host=web-$seriesIndex, dc=eu',
  Alias: 'cpu ${host}',
  'Drop (%)': '0',
  'Outage every (ms)': '0',
  'Outage for (ms)': '0',
};

/**
 * The fields of the collapsed Testing section that a new query leaves
 * empty, and the placeholder each shows once the section is open.
 */
const TESTING_FIELDS = {
  'Fail (%)': '0',
  'Delay (ms)': '0',
  'Jitter (ms)': '0',
  'Events every (ms)': '0',
  'Event title': 'Tickstream event',
  Exemplars: '0',
  'Exemplar link': 'https://tempo.example.com/trace/${__value.raw}',
};

/** The pickers of a new query and the option each shows. */
const PICKERS = { Shape: 'Random', Kind: 'Number' };

/** The settings and the defaults their empty boxes show as placeholders. */
const SETTINGS = {
  'Minimum tick interval (ms)': '10',
  'Max points per second': '10000',
  'Max series per query': '100',
  'Max messages per second': '20',
  'Max streams': '10000',
  'Max total points per second': '100000',
};

let browser;
let page;
/** Every error and warning the page logged while the checks drove it (page.mjs). */
let logged;

before(async () => {
  browser = await openBrowser({ distDir, line });
  const loaded = await loadPlugin(browser.context);
  page = loaded.page;
  logged = loaded.logged;
  assert.equal(
    loaded.verdict,
    'loaded',
    `dist/module.js did not load as ${describeLine(line)} loads it: ${loaded.verdict}`
  );
  assert.deepEqual(loaded.errors, [], 'the page threw while loading the plugin');
  rmSync(shotsDir, { recursive: true, force: true });
  mkdirSync(shotsDir, { recursive: true });
});

after(async () => {
  await browser?.close();
});

const harness = (expr) => page.evaluate(expr);
const mount = (options) => page.evaluate((o) => window.tickstream.mount(o), options);
const field = (label) => page.getByLabel(label, { exact: true });

/** type replaces what a field holds, as a user selecting it and typing would, then leaves it. */
async function type(label, text) {
  await field(label).fill(text);
  await field(label).blur();
}

/** choose picks an option of a picker (Shape, Kind), found by its label as a user finds it. */
async function choose(picker, option) {
  await field(picker).click();
  await page.getByRole('option', { name: option }).click();
}

/** errorOf is the text of the messages a field's aria-describedby points at, "" when none. */
async function errorOf(label) {
  const ids = await field(label).getAttribute('aria-describedby');
  if (!ids) {
    return '';
  }
  const texts = await Promise.all(ids.split(' ').map((id) => page.locator(`[id="${id}"]`).innerText()));
  return texts.join('\n');
}

async function screenshot(name) {
  // Let fonts and icons arrive before the picture is taken.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForLoadState('networkidle');
  // The themed area only: the browser's own page around it is not Grafana's.
  const box = await page.locator('#root > *').first().boundingBox();
  const file = path.join(shotsDir, `${name}.png`);
  await page.screenshot({ path: file, clip: box });
  return file;
}

describe('query editor', () => {
  it('shows every field of a new query with its default, and no period, values or states', async () => {
    await mount({ editor: 'query' });
    for (const [label, value] of Object.entries(FIELDS)) {
      assert.equal(await field(label).inputValue(), value, label);
    }
    for (const [label, placeholder] of Object.entries(EMPTY_FIELDS)) {
      assert.equal(await field(label).inputValue(), '', label);
      assert.equal(await field(label).getAttribute('placeholder'), placeholder, label);
    }
    for (const [label, value] of Object.entries(PICKERS)) {
      assert.equal(await field(label).inputValue(), value, label);
    }
    for (const label of ['Period (ms)', 'Values', 'States']) {
      assert.equal(await field(label).count(), 0, `${label} is shown for a random number query`);
    }
    assert.equal(await page.locator('[aria-invalid="true"]').count(), 0, 'a new query shows an error');
  });

  it('shows a value out of range as an inline error on its field and does not run the query', async () => {
    await mount({ editor: 'query' });
    await type('Noise', '1.5');
    const message = page.getByText('noise must be a number from 0 to 1; got 1.5', { exact: true });
    await message.waitFor();
    assert.equal(await field('Noise').getAttribute('aria-invalid'), 'true');
    assert.equal(await field('Seed').getAttribute('aria-invalid'), 'false');
    const describedBy = await field('Noise').getAttribute('aria-describedby');
    assert.ok(describedBy, 'the noise field does not point at its error message');
    assert.equal(
      await page.locator(`[id="${describedBy}"]`).innerText(),
      'noise must be a number from 0 to 1; got 1.5'
    );
    assert.equal(await harness(() => window.tickstream.runs), 0, 'the invalid query ran');
    await screenshot('query-editor-error');
  });

  it('runs a valid change once, and the DataSource posts it to the backend', async () => {
    await mount({ editor: 'query' });
    await type('Series', '4');
    await page.waitForFunction(() => window.tickstream.requests.length + window.tickstream.queryErrors.length > 0);
    assert.deepEqual(await harness(() => window.tickstream.queryErrors), []);
    assert.equal(await harness(() => window.tickstream.runs), 1);
    const requests = await harness(() => window.tickstream.requests);
    assert.equal(requests.length, 1, JSON.stringify(requests));
    assert.equal(requests[0].method, 'POST');
    assert.match(requests[0].url, /\/api\/ds\/query/);
    const [sent] = requests[0].data.queries;
    assert.equal(sent.series, 4);
    assert.equal(sent.tickInterval, 1000);
    assert.equal(sent.datasource.uid, 'tickstream');
  });

  it('shows labels that are not key=value pairs as an inline error naming labels', async () => {
    await mount({ editor: 'query' });
    await type('Labels', 'host web');
    const message =
      'labels must be comma-separated key=value pairs, e.g. host=web-$seriesIndex, dc=eu; got "host web" without "="';
    await page.getByText(message, { exact: true }).waitFor();
    assert.equal(await field('Labels').getAttribute('aria-invalid'), 'true');
    assert.equal(await errorOf('Labels'), message);
    assert.equal(await field('Alias').getAttribute('aria-invalid'), 'false');
    assert.equal(await harness(() => window.tickstream.runs), 0, 'the invalid query ran');
  });

  it('shows an alias naming a key the labels do not have as its error', async () => {
    await mount({ editor: 'query' });
    await type('Labels', 'host=web');
    assert.equal(await harness(() => window.tickstream.runs), 1, 'valid labels did not run the query once');
    await type('Alias', 'cpu ${dc}');
    const message = 'alias refers to ${dc}, which is not a key of the labels: use $seriesIndex or ${host}';
    await page.getByText(message, { exact: true }).waitFor();
    assert.equal(await field('Alias').getAttribute('aria-invalid'), 'true');
    assert.equal(await errorOf('Alias'), message);
    assert.equal(await field('Labels').getAttribute('aria-invalid'), 'false');
    assert.equal(await harness(() => window.tickstream.runs), 1, 'the invalid alias ran the query');
  });

  it('takes a dashboard variable in a numeric field without calling it an error', async () => {
    await mount({ editor: 'query' });
    for (const reference of ['$tick', '${tick}', '[[tick]]']) {
      await type('Tick interval (ms)', reference);
      assert.equal(await field('Tick interval (ms)').inputValue(), reference);
      assert.equal(await field('Tick interval (ms)').getAttribute('aria-invalid'), 'false', reference);
      assert.equal(await errorOf('Tick interval (ms)'), '', reference);
      assert.equal(await page.locator('[aria-invalid="true"]').count(), 0, `${reference}: some field shows an error`);
    }
    // The same box still judges a number: the check above is not blind.
    await type('Tick interval (ms)', '0.5');
    assert.equal(await field('Tick interval (ms)').getAttribute('aria-invalid'), 'true');
  });

  it("runs a query holding a dashboard variable once, with the variable's value", async () => {
    await mount({ editor: 'query' });
    await type('Tick interval (ms)', '$tick');
    await page.waitForFunction(() => window.tickstream.requests.length + window.tickstream.queryErrors.length > 0);
    assert.deepEqual(await harness(() => window.tickstream.queryErrors), []);
    assert.equal(await harness(() => window.tickstream.runs), 1);
    const requests = await harness(() => window.tickstream.requests);
    assert.equal(requests.length, 1, JSON.stringify(requests));
    const [sent] = requests[0].data.queries;
    // templateStandIn.ts's dashboard has tick = 500.
    assert.equal(sent.tickInterval, 500);
    assert.deepEqual(sent.variableRefs, { tickInterval: ['tick'] });
  });

  it("names the data source's maxSeries when a query asks for more series", async () => {
    await mount({ editor: 'query', jsonData: { maxSeries: 8 } });
    await type('Series', '9');
    await page
      .getByText("series must be a whole number from 1 to 8 (the data source's maxSeries); got 9", { exact: true })
      .waitFor();
    assert.equal(await harness(() => window.tickstream.runs), 0);
  });

  it('offers the seven shapes in the order of DEVELOPERS.md', async () => {
    await mount({ editor: 'query' });
    await field('Shape').click();
    const options = page.getByRole('option');
    await options.first().waitFor();
    const names = await options.evaluateAll((els) => els.map((e) => e.innerText.split('\n')[0]));
    assert.deepEqual(names, ['Random', 'Walk', 'Sine', 'Square', 'Sawtooth', 'Triangle', 'CSV']);
    await page.keyboard.press('Escape');
  });

  it('shows the period only for the periodic shapes, with its default', async () => {
    await mount({ editor: 'query' });
    await choose('Shape', 'Sine');
    await field('Period (ms)').waitFor();
    assert.equal(await field('Period (ms)').inputValue(), '60000');
    assert.equal(await harness(() => window.tickstream.runs), 1, 'choosing a valid shape runs the query once');
    await choose('Shape', 'Walk');
    await field('Period (ms)').waitFor({ state: 'detached' });
    await choose('Shape', 'Triangle');
    await field('Period (ms)').waitFor();
  });

  it('shows Values only for the csv shape, and runs the query once they are valid', async () => {
    await mount({ editor: 'query' });
    await choose('Shape', 'CSV');
    await field('Values').waitFor();
    assert.equal(await field('Values').getAttribute('placeholder'), '1,2,3,5,8');
    // An empty list is no csv: the query waits for its values, and the field points at why.
    const noNumbers = page.getByText(/^values must be 1 to 1000 finite numbers .*; got no numbers$/);
    await noNumbers.waitFor();
    assert.match(await errorOf('Values'), /^values must be 1 to 1000 finite numbers .*; got no numbers$/);
    assert.equal(await field('Values').getAttribute('aria-invalid'), 'true');
    assert.equal(await harness(() => window.tickstream.runs), 0, 'the csv shape without values ran');
    await choose('Shape', 'Walk');
    await field('Values').waitFor({ state: 'detached' });
    assert.equal(await harness(() => window.tickstream.runs), 1, 'choosing walk did not run the query once');
    await choose('Shape', 'CSV');
    await type('Values', '1,2,3,5,8');
    await page.waitForFunction(() => window.tickstream.runs > 1);
    assert.equal(await field('Values').getAttribute('aria-invalid'), 'false');
    assert.equal(await noNumbers.count(), 0, 'the values error stayed');
    assert.equal(await harness(() => window.tickstream.runs), 2, 'valid values did not run the query once');
    const [sent] = (await harness(() => window.tickstream.requests)).at(-1).data.queries;
    assert.equal(sent.shape, 'csv');
    assert.equal(sent.values, '1,2,3,5,8');
  });

  it('shows States only for the state kind', async () => {
    await mount({ editor: 'query' });
    await choose('Kind', 'State');
    await field('States').waitFor();
    assert.equal(await field('States').getAttribute('placeholder'), 'OK,WARN,CRIT');
    await choose('Kind', 'Number');
    await field('States').waitFor({ state: 'detached' });
    await choose('Kind', 'Logs');
    assert.equal(await field('Kind').inputValue(), 'Logs');
    assert.equal(await field('States').count(), 0, 'States is shown for the logs kind');
  });

  it('opens the Testing section, with the faults, events and exemplars fields at their defaults, and shows a failPercent out of range as its error', async () => {
    await mount({ editor: 'query' });
    assert.equal(await field('Fail (%)').count(), 0, 'the Testing section is open for a query without faults');
    await page.getByText('Testing', { exact: true }).click();
    for (const [label, placeholder] of Object.entries(TESTING_FIELDS)) {
      assert.equal(await field(label).inputValue(), '', label);
      assert.equal(await field(label).getAttribute('placeholder'), placeholder, label);
    }
    assert.equal(await field('Fail source').inputValue(), 'Downstream');
    await type('Fail (%)', '150');
    assert.equal(await errorOf('Fail (%)'), 'failPercent must be a number from 0 to 100; got 150');
    assert.equal(await harness(() => window.tickstream.runs), 0, 'the invalid query ran');
    await type('Fail (%)', '50');
    await page.waitForFunction(() => window.tickstream.runs > 0);
    assert.equal(await errorOf('Fail (%)'), '');
  });

  it('runs the query once when a kind is chosen', async () => {
    await mount({ editor: 'query' });
    await choose('Kind', 'Logs');
    await page.waitForFunction(() => window.tickstream.requests.length + window.tickstream.queryErrors.length > 0);
    assert.deepEqual(await harness(() => window.tickstream.queryErrors), []);
    assert.equal(await field('Kind').inputValue(), 'Logs');
    assert.equal(await harness(() => window.tickstream.runs), 1, 'choosing a valid kind did not run the query once');
    const requests = await harness(() => window.tickstream.requests);
    assert.equal(requests.length, 1, JSON.stringify(requests));
    const [sent] = requests[0].data.queries;
    assert.equal(sent.kind, 'logs', JSON.stringify(sent));
  });

  it('looks like Grafana with a valid periodic query with labels and an alias', async () => {
    await mount({
      editor: 'query',
      value: {
        tickInterval: 250,
        lowerLimit: -10,
        upperLimit: 10,
        seed: 7,
        shape: 'sine',
        period: 30000,
        noise: 0.1,
        series: 3,
        labels: 'dc=eu, host=web-$seriesIndex',
        alias: 'cpu ${host}',
      },
    });
    await field('Period (ms)').waitFor();
    assert.equal(await field('Labels').inputValue(), 'dc=eu, host=web-$seriesIndex');
    assert.equal(await field('Alias').inputValue(), 'cpu ${host}');
    assert.equal(await page.locator('[aria-invalid="true"]').count(), 0, 'the valid query shows an error');
    // Grafana's dark theme: the page background is the theme's, not the browser's white.
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(background, 'rgba(0, 0, 0, 0)');
    assert.notEqual(background, 'rgb(255, 255, 255)');
    const font = await field('Series').evaluate((e) => getComputedStyle(e).fontFamily);
    assert.match(font, /^Inter/);
    assert.ok(await page.evaluate(() => document.fonts.check('14px Inter')), 'the Inter font did not load');
    await screenshot('query-editor');
  });
});

describe('settings page', () => {
  it('shows every setting empty, with its default as the placeholder', async () => {
    await mount({ editor: 'config' });
    for (const [label, placeholder] of Object.entries(SETTINGS)) {
      assert.equal(await field(label).inputValue(), '', label);
      assert.equal(await field(label).getAttribute('placeholder'), placeholder, label);
    }
    await screenshot('settings');
  });

  it('shows a setting out of range as its error and keeps the typed value', async () => {
    await mount({ editor: 'config' });
    await field('Max series per query').fill('0');
    await page.getByText('maxSeries must be a whole number from 1 to 10000; got 0', { exact: true }).waitFor();
    assert.equal(await field('Max series per query').getAttribute('aria-invalid'), 'true');
    const changes = await harness(() => window.tickstream.changes);
    assert.deepEqual(changes.at(-1), { maxSeries: 0 });
  });

  it('shows settings stored wrong, as provisioning can, when the page opens', async () => {
    await mount({ editor: 'config', value: { minTickInterval: 0.5 } });
    await page
      .getByText('minTickInterval must be a whole number of milliseconds from 1 to 86400000; got 0.5', { exact: true })
      .waitFor();
  });
});

describe('live exemplars', () => {
  it('names the live exemplar frame, which this line’s StreamingDataFrame leaves unnamed', async () => {
    // What the plugin sends a live panel with exemplars, recorded by
    // TestExemplarFixture (src/liveExemplars.test.ts replays it in jest).
    const fixture = JSON.parse(readFileSync(path.join(root, 'testdata', 'live-exemplars.json'), 'utf8'));
    const { streamNames, frames } = await page.evaluate((fx) => window.tickstream.liveExemplars(fx), fixture);
    // @grafana/runtime follows both channels of the response: the series' and the exemplars'.
    assert.equal(streamNames.length, 2, `followed ${streamNames.length} channels`);
    assert.deepEqual(streamNames, [undefined, undefined], 'this line’s StreamingDataFrame keeps a frame name now');
    const channel = `ds/tickstream/${fixture.path}`;
    const exemplars = frames.filter((f) => f.channel === channel);
    assert.equal(exemplars.length, 1, `frames ${JSON.stringify(frames)}`);
    const [ex] = exemplars;
    assert.equal(ex.name, 'exemplar');
    assert.equal(ex.dataTopic, 'annotations');
    assert.deepEqual(ex.fields, ['time', 'value', 'traceID', 'host']);
    const streamed = fixture.messages.reduce((n, m) => n + JSON.parse(m).data.values[0].length, 0);
    assert.ok(
      ex.length > streamed,
      `${ex.length} exemplars shown, ${streamed} streamed: the history's should show too`
    );
    const others = frames.filter((f) => f !== ex);
    assert.ok(
      others.length > 0 && others.every((f) => f.name !== 'exemplar' && f.dataTopic !== 'annotations'),
      JSON.stringify(others)
    );
  });
});

describe('page', () => {
  it(`runs the packages Grafana ${line.name} shares with plugins`, async () => {
    for (const name of GRAFANA_PACKAGES) {
      assert.ok(installedVersion(line, name).startsWith(`${line.name}.`), `${name} ${installedVersion(line, name)}`);
    }
    // The React the page (and so the plugin) runs is the line's, not the project's.
    const react = await harness(() => window.tickstream.reactVersion);
    assert.equal(react, installedVersion(line, 'react'));
    assert.equal(Number(react.split('.')[0]), line.react, `Grafana ${line.name} runs React ${line.react}`);
  });

  it('asked for nothing it was not given', async () => {
    // Grafana's own monospace font is not in any npm package; nothing here uses it.
    const unexpected = browser.unserved.filter((url) => !url.includes('/public/fonts/roboto/'));
    assert.deepEqual(unexpected, []);
  });
});

describe('a bundle that cannot load', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'tickstream-broken-dist-'));
  const original = readFileSync(path.join(distDir, 'module.js'), 'utf8');

  before(() => {
    cpSync(distDir, scratch, { recursive: true });
    browser.serveDist(scratch);
  });
  after(() => {
    browser.serveDist(distDir);
    rmSync(scratch, { recursive: true, force: true });
  });

  async function verdictFor(moduleJs) {
    writeFileSync(path.join(scratch, 'module.js'), moduleJs);
    const loaded = await loadPlugin(browser.context);
    await loaded.page.close();
    return loaded.verdict;
  }

  it('is reported when module.js is cut short', async () => {
    assert.match(await verdictFor(original.slice(0, original.length / 2)), /^failed: /);
  });

  it('is reported when module.js needs a module Grafana does not share', async () => {
    const needsMore = original.replace('define([', 'define(["@grafana/not-shared",');
    assert.notEqual(needsMore, original, 'module.js is not an AMD module');
    assert.match(await verdictFor(needsMore), /^failed: .*@grafana\/not-shared/);
  });
});

// Keep this last: node:test runs the tests in the order of the file, so this
// sees everything the checks above made the page log.
describe('console', () => {
  it('showed no error and no React warning while the checks drove the editors', () => {
    assert.deepEqual(logged, [], `on ${describeLine(line)}`);
  });
});
