// lines.mjs: the Grafana lines the browser suite runs the same dist/module.js
// against. A line is the set of packages a Grafana release shares with every
// plugin at run time (React, react-dom, @grafana/data, ui, runtime, emotion,
// lodash, rxjs): the page of a line is bundled from that line's own installed
// packages, so the plugin meets the React and the @grafana code that Grafana
// version runs. The newest line is the project's own node_modules; an older
// line is a folder tests/browser/lines/<name>/ holding a package.json and
// package-lock.json, which scripts/browser-test.sh installs with npm ci into
// .cache/browser/<name>/. Adding a line is one more folder there and one
// more entry here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cacheDir = path.join(root, '.cache', 'browser');

/**
 * LINES, oldest first. name: the Grafana minor release, which every
 * @grafana package of the line must carry; react: the React major that
 * Grafana release runs; modules: where the line's packages are installed.
 */
export const LINES = [
  { name: '12.4', react: 18, modules: path.join(cacheDir, '12.4', 'node_modules') },
  { name: '13.2', react: 19, modules: path.join(root, 'node_modules') },
];

/** The @grafana packages a plugin gets from Grafana, whose versions name the line. */
export const GRAFANA_PACKAGES = ['@grafana/data', '@grafana/ui', '@grafana/runtime'];

/** installedVersion is the version of a package as the line installed it. */
export function installedVersion(line, name) {
  return JSON.parse(readFileSync(path.join(line.modules, name, 'package.json'), 'utf8')).version;
}

/** describeLine names a line in test names and failures: "Grafana 12.4 (@grafana/* 12.4.10, React 18.3.1)". */
export function describeLine(line) {
  const grafana = [...new Set(GRAFANA_PACKAGES.map((name) => installedVersion(line, name)))].join('/');
  return `Grafana ${line.name} (@grafana/* ${grafana}, React ${installedVersion(line, 'react')})`;
}

/** outDirOf is where a line's page script, webpack cache and screenshots go. */
export function outDirOf(line) {
  return path.join(cacheDir, line.name);
}

/**
 * currentLine is the line this test process drives: run.mjs starts one
 * process per line with TICKSTREAM_BROWSER_LINE set to its name.
 */
export function currentLine() {
  const name = process.env.TICKSTREAM_BROWSER_LINE;
  const line = LINES.find((l) => l.name === name);
  if (!line) {
    throw new Error(
      `TICKSTREAM_BROWSER_LINE must name one of the lines ${LINES.map((l) => l.name).join(', ')}; got ${JSON.stringify(name)}`
    );
  }
  return line;
}
