// Checks provisioning/ and the dashboards the plugin ships (src/dashboards/):
// every file parses; every dashboard is in plugin.json's "includes" and every
// included dashboard exists; each picks its data source through a "DS_..."
// import input of Tickstream's type, never a fixed uid, and declares a data
// source variable of that name, so the same file works imported (Grafana
// replaces ${DS_...}) and provisioned (the variable picks the default
// Tickstream data source); every query uses Tickstream's JSON field names
// with numbers. Run by scripts/test.sh: node scripts/check-provisioning.mjs
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prov = join(root, 'provisioning');
const PLUGIN_ID = 'tickstream-streaming-datasource';
const UID = 'tickstream';
const DASHBOARDS = 'dashboards'; // below src/, as below dist/ and in the zip
const QUERY_FIELDS = ['tickInterval', 'lowerLimit', 'upperLimit', 'seed'];
const problems = [];

// YAML: parsed with the "yaml" package when node_modules has it (it comes with
// the dev dependencies), else only read.
let parseYaml = null;
try {
  parseYaml = createRequire(join(root, 'package.json'))('yaml').parse;
} catch {
  console.warn('check-provisioning: the "yaml" package is not installed; YAML files are read, not parsed');
}
function readYaml(file) {
  const text = readFileSync(file, 'utf8');
  if (!parseYaml) {
    return null;
  }
  try {
    return parseYaml(text);
  } catch (e) {
    problems.push(`${file}: ${e.message}`);
    return null;
  }
}

const ds = readYaml(join(prov, 'datasources', 'datasources.yml'));
if (ds) {
  const t = (ds.datasources ?? []).find((d) => d.uid === UID);
  if (!t) {
    problems.push(`datasources.yml: no data source with uid ${UID}`);
  } else {
    if (t.type !== PLUGIN_ID) {
      problems.push(`datasources.yml: type is ${t.type}, want ${PLUGIN_ID}`);
    }
    // Whether the settings and every dashboard query pass the shared
    // validation rules is checked by src/provisioning.test.ts (jest).
  }
}
// isVariableOf is true for a reference ($name, ${name}, [[name]]) to one of
// the dashboard's own variables, which the panel replaces before querying.
function isVariableOf(dash, value) {
  const names = (dash.templating?.list ?? []).map((v) => v.name);
  const m = typeof value === 'string' && /^(?:\$(\w+)|\$\{(\w+)\}|\[\[(\w+)\]\])$/.exec(value);
  return Boolean(m) && names.includes(m[1] ?? m[2] ?? m[3]);
}

const provider = readYaml(join(prov, 'dashboards', 'dashboards.yml'));
const wantPath = `\${GF_PATHS_PLUGINS}/${PLUGIN_ID}/${DASHBOARDS}`;
if (provider && !(provider.providers ?? []).some((p) => p.options?.path === wantPath)) {
  problems.push(`dashboards.yml: no provider reads ${wantPath} (the dashboards the plugin ships)`);
}

const pluginJson = JSON.parse(readFileSync(join(root, 'src', 'plugin.json'), 'utf8'));
const included = new Set((pluginJson.includes ?? []).filter((i) => i.type === 'dashboard').map((i) => i.path));
const dashDir = join(root, 'src', DASHBOARDS);
const jsonFiles = readdirSync(dashDir).filter((f) => f.endsWith('.json'));
if (jsonFiles.length === 0) {
  problems.push(`src/${DASHBOARDS} has no dashboard JSON`);
}
for (const p of included) {
  if (!jsonFiles.some((f) => `${DASHBOARDS}/${f}` === p)) {
    problems.push(`plugin.json includes the dashboard ${p}, which is not in src/${DASHBOARDS}/`);
  }
}
for (const f of jsonFiles) {
  if (!included.has(`${DASHBOARDS}/${f}`)) {
    problems.push(
      `src/${DASHBOARDS}/${f} is not in plugin.json's "includes": add {"type": "dashboard", "name": ..., "path": "${DASHBOARDS}/${f}"}`
    );
  }
  let dash;
  try {
    dash = JSON.parse(readFileSync(join(dashDir, f), 'utf8'));
  } catch (e) {
    problems.push(`${f}: ${e.message}`);
    continue;
  }
  if (!dash.uid || !dash.title) {
    problems.push(`${f}: a dashboard needs a uid and a title`);
  }
  const input = (dash.__inputs ?? []).find((i) => i.type === 'datasource' && i.pluginId === PLUGIN_ID);
  if (!input || !/^DS_\w+$/.test(input.name)) {
    problems.push(`${f}: __inputs needs a data source input named DS_... with pluginId ${PLUGIN_ID}`);
    continue;
  }
  const ref = `\${${input.name}}`;
  const variable = (dash.templating?.list ?? []).find((v) => v.name === input.name);
  if (variable?.type !== 'datasource' || variable.query !== PLUGIN_ID) {
    problems.push(`${f}: templating needs a data source variable ${input.name} with query ${PLUGIN_ID}, which a provisioned copy uses for ${ref}`);
  }
  const refs = [
    ...(dash.templating?.list ?? []).filter((v) => v.datasource).map((v) => [`variable ${v.name}`, v.datasource]),
    ...(dash.panels ?? []).flatMap((p) => [
      [`panel "${p.title}"`, p.datasource],
      ...(p.targets ?? []).map((t) => [`panel "${p.title}" query ${t.refId}`, t.datasource ?? p.datasource]),
    ]),
  ];
  for (const [where, dsRef] of refs) {
    if (dsRef?.uid !== ref || dsRef?.type !== PLUGIN_ID) {
      problems.push(`${f}: ${where}: datasource must be {type: ${PLUGIN_ID}, uid: ${ref}}, not a fixed uid`);
    }
  }
  for (const p of dash.panels ?? []) {
    for (const t of p.targets ?? []) {
      const where = `${f}: panel "${p.title}" query ${t.refId}`;
      for (const k of QUERY_FIELDS) {
        if (k in t && (typeof t[k] !== 'number' || !Number.isFinite(t[k])) && !isVariableOf(dash, t[k])) {
          problems.push(`${where}: ${k} must be a finite number or a reference to one of the dashboard's variables`);
        }
      }
    }
  }
}

if (problems.length > 0) {
  console.error(`check-provisioning: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-provisioning: ok (${jsonFiles.length} dashboard(s))`);
