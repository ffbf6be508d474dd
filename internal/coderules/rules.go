// Package coderules checks Tickstream's shipped code against the rules of
// the plugin catalog's automated review: the semgrep rules of
// grafana/plugin-validator's coderules analyzer
// (pkg/analysis/passes/coderules/semgrep-rules.yaml). semgrep cannot be
// installed on the development machines, so this is a small check of the
// project's own that matches the same constructs: the Go rules on the
// syntax tree (imports resolved, aliases included), the TypeScript rules on
// the source text with comments and strings told apart from code where
// semgrep matches code only.
//
// It errs on the strict side where the rule's intent is plain and its
// pattern narrower (it reports a reference to a flagged function, not only
// a call; os.ReadFile with os.Readfile; os.Getenv of a name that is not a
// literal), so that code it passes also passes the catalog's review.
// DEVELOPERS.md ("Code rules") lists the rules; cmd/coderules runs them.
package coderules

import "fmt"

// ValidatorVersion is the grafana/plugin-validator whose semgrep rules
// these are (scripts/versions.sh pins it; a test fails when the pin moves).
const ValidatorVersion = "v0.45.6"

// Severity is a rule's severity in the validator: an Error blocks a
// catalog submission, a Warning is shown to the reviewer.
type Severity string

// The validator's two severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Rule is one of the validator's rules.
type Rule struct {
	ID       string // the validator's rule id (reported as code-rules-<ID>)
	Lang     string // "go" or "ts" (TypeScript and JavaScript)
	Severity Severity
	Flags    string // what it flags, for DEVELOPERS.md and the report
	Message  string // what is wrong and how to fix it
}

// Rules are the validator's rules, in the order of its semgrep-rules.yaml.
var Rules = []Rule{
	{"access-os-environment", "go", Error, "os.Environ, os.Clearenv, os.ExpandEnv, syscall.Environ, syscall.Clearenv",
		"plugins may not read or change the environment: take settings from the data source instance instead"},
	{"access-forbidden-os-environment", "go", Warning, "os.Getenv, os.LookupEnv, os.Setenv, os.Unsetenv (and syscall's) of a name other than GF_PLUGIN* and the few Grafana, AWS and Azure names the validator allows",
		"plugins may read only GF_PLUGIN* (and the validator's few listed) environment variables: take settings from the data source instance instead"},
	{"access-file-system-with-fs", "go", Error, "any io/fs function",
		"plugins may not use the file system: embed what the plugin needs or take it from the settings"},
	{"access-file-system-with-filepath", "go", Error, "filepath.Walk, WalkDir, VolumeName, EvalSymlinks, Glob",
		"plugins may not use the file system: embed what the plugin needs or take it from the settings"},
	{"access-file-system-with-os", "go", Error, "os file-system functions: Open, Create, ReadFile, WriteFile, ReadDir, Stat, Lstat, Mkdir*, Remove*, Rename, Getwd, Chdir, TempDir, User*Dir, … (the validator's list)",
		"plugins may not use the file system: embed what the plugin needs or take it from the settings"},
	{"access-syscall", "go", Error, "any use of the syscall package",
		"plugins may not use the syscall package: use the standard library or golang.org/x/sys"},
	{"outdated-sqlds-version", "go", Warning, "importing github.com/grafana/sqlds v1 or v2",
		"sqlds v1 and v2 are outdated: use sqlds/v3 or v4, whose calls take a context"},
	{"console-logging", "ts", Warning, "console.log, info, table, clear, count, countReset, dir, dirxml, group, groupEnd, time, timeEnd, timeLog, trace",
		"the frontend may not log to the browser console: remove the call"},
	{"topnav-toggle", "ts", Error, "featureToggles.topnav",
		"the topnav feature toggle is deprecated: keep only the code for the toggle on"},
	{"window-properties", "ts", Error, "window.grafanaBootData, window.grafanaRuntime, window.__grafanaSceneContext",
		"these window properties are Grafana's internals: use @grafana/runtime's APIs"},
	{"access-old-react-internals", "ts", Warning, "__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED",
		"React's internals break between React versions: use React's public API"},
	{"native-browser-dialogs", "ts", Error, "alert(…), window.alert, window.confirm, window.prompt",
		"no native browser dialogs: use @grafana/ui's Modal or ConfirmModal"},
	{"fmt-print-logging", "go", Error, "fmt.Print, fmt.Printf, fmt.Println",
		"log with the plugin SDK's backend.Logger, which Grafana collects, not fmt.Print*"},
	{"window-open-without-noopener", "ts", Error, "window.open without 'noopener,noreferrer' in its third argument",
		"a window opened without noopener and noreferrer can reach back into Grafana (tab nabbing): pass 'noopener,noreferrer' as the third argument"},
	{"deprecated-gf-form-css-classes", "ts", Warning, "the text gf-form (legacy CSS classes)",
		"the gf-form CSS classes are deprecated: use @grafana/ui components"},
	{"direct-window-location-access", "ts", Warning, "window.location.search, window.location.href",
		"read and change the location through @grafana/runtime's locationService"},
	{"ts-ignore-suppress", "ts", Warning, "@ts-ignore, @ts-expect-error",
		"fix the type error instead of suppressing it"},
	{"no-direct-css-imports", "ts", Error, "import of a .css, .scss or .less file; Global from @emotion/react; <Global>",
		"global CSS leaks into all of Grafana: style with emotion's css (useStyles2)"},
	{"no-api-ds-query-endpoint", "ts", Error, "the text /api/ds/query",
		"query through the data source (getDataSourceSrv().get(…).query(…)), not Grafana's HTTP endpoint"},
	{"backend-datasource-should-not-implement-testdatasource", "ts", Error, "a testDatasource method in a class extending DataSourceWithBackend (datasource.ts)",
		"a backend data source's health check is CheckHealth in the backend: remove testDatasource"},
}

// Finding is one construct a rule flags.
type Finding struct {
	Path   string
	Line   int
	RuleID string
	What   string // the construct, as written
}

// String formats f as path:line: rule (severity): construct: message.
func (f Finding) String() string {
	r := rule(f.RuleID)
	return fmt.Sprintf("%s:%d: code-rules-%s (%s): %s: %s", f.Path, f.Line, r.ID, r.Severity, f.What, r.Message)
}

// rule returns the rule with the given id; the checkers only report ids
// of Rules, which the tests hold them to.
func rule(id string) Rule {
	for _, r := range Rules {
		if r.ID == id {
			return r
		}
	}
	return Rule{ID: id, Severity: Error, Message: "unknown rule"}
}
