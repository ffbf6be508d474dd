// Checks provisioning/: every file parses, the data source is the one the
// dashboard points at, and every dashboard query uses Tickstream's JSON field
// names with numbers. Run by scripts/test.sh: node scripts/check-provisioning.mjs
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prov = join(root, 'provisioning');
const PLUGIN_ID = 'tickstream-streaming-datasource';
const UID = 'tickstream';
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
readYaml(join(prov, 'dashboards', 'dashboards.yml'));

// isVariableOf is true for a reference ($name, ${name}, [[name]]) to one of
// the dashboard's own variables, which the panel replaces before querying.
function isVariableOf(dash, value) {
  const names = (dash.templating?.list ?? []).map((v) => v.name);
  const m = typeof value === 'string' && /^(?:\$(\w+)|\$\{(\w+)\}|\[\[(\w+)\]\])$/.exec(value);
  return Boolean(m) && names.includes(m[1] ?? m[2] ?? m[3]);
}

const dashDir = join(prov, 'dashboards');
const jsonFiles = readdirSync(dashDir).filter((f) => f.endsWith('.json'));
if (jsonFiles.length === 0) {
  problems.push('provisioning/dashboards has no dashboard JSON');
}
for (const f of jsonFiles) {
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
  for (const p of dash.panels ?? []) {
    for (const t of p.targets ?? []) {
      const where = `${f}: panel "${p.title}" query ${t.refId}`;
      const dsRef = t.datasource ?? p.datasource;
      if (dsRef?.uid !== UID || dsRef?.type !== PLUGIN_ID) {
        problems.push(`${where}: datasource must be {type: ${PLUGIN_ID}, uid: ${UID}}`);
      }
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
