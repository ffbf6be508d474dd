// run.mjs: for each Grafana line (lines.mjs), builds the line's page script,
// then runs the browser suite against it with Node's test runner, one line
// after the other. Every failure is reported with the line it failed on.
// Exits non-zero when a check fails or a page cannot be built.
//
//   node tests/browser/run.mjs            every line
//   node tests/browser/run.mjs 12.4       only the named lines
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { bundle } from './bundle.mjs';
import { describeLine, LINES } from './lines.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !LINES.some((line) => line.name === name));
if (unknown.length > 0) {
  console.error(`run.mjs: no line ${unknown.join(', ')}; the lines are ${LINES.map((l) => l.name).join(', ')}`);
  process.exit(2);
}
const lines = wanted.length > 0 ? LINES.filter((line) => wanted.includes(line.name)) : LINES;

/** failures: "<line>: <test>" for every failed test and every page that could not be built. */
const failures = [];
for (const line of lines) {
  const label = describeLine(line);
  process.stdout.write(`\n== ${label}\n`);
  try {
    await bundle(line);
  } catch (error) {
    failures.push(`${label}: its page could not be built: ${error.message}`);
    continue;
  }
  // The test process reads its line from the environment it inherits.
  process.env.TICKSTREAM_BROWSER_LINE = line.name;
  const stream = run({ files: [path.join(here, 'editors.test.mjs')], concurrency: 1, timeout: 180_000 });
  stream.on('test:fail', (data) => {
    // A suite (and the file) fails when a test in it fails: name only the tests.
    if (data.details?.error?.failureType !== 'subtestsFailed') {
      failures.push(`${label}: ${data.name}`);
    }
  });
  stream.compose(spec).pipe(process.stdout, { end: false });
  await new Promise((resolve) => stream.on('end', resolve));
}

if (failures.length > 0) {
  process.stdout.write(`\nThe browser suite failed:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
  process.exitCode = 1;
}
