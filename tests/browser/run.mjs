// run.mjs: builds the page script, then runs the browser suite with Node's
// test runner. Exits non-zero when a check fails or the page cannot be built.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { bundle } from './bundle.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

await bundle();
let failed = false;
const stream = run({ files: [path.join(here, 'editors.test.mjs')], concurrency: 1, timeout: 180_000 });
stream.on('test:fail', () => {
  failed = true;
});
stream.compose(spec).pipe(process.stdout);
await new Promise((resolve) => stream.on('end', resolve));
process.exitCode = failed ? 1 : 0;
