package coderules

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// goFile wraps a function body in a file that imports what it uses.
func goFile(imports, body string) string {
	return "package p\n\nimport (\n" + imports + "\n)\n\nfunc f() {\n" + body + "\n}\n"
}

// bad holds, for every rule, sources that use what it flags; each must
// give exactly the listed rule ids (a construct two rules flag gives both).
var bad = []struct {
	name, lang, path, src string
	want                  []string
}{
	{"os.Environ", "go", "", goFile(`"os"`, `_ = os.Environ()`), []string{"access-os-environment"}},
	{"os.ExpandEnv with an argument", "go", "", goFile(`"os"`, `_ = os.ExpandEnv("$HOME")`), []string{"access-os-environment"}},
	{"os.Getenv of another name", "go", "", goFile(`"os"`, `_ = os.Getenv("HOME")`), []string{"access-forbidden-os-environment"}},
	{"os.LookupEnv of a computed name", "go", "", goFile(`"os"`, `n := "GF_PLUGIN_X"; _, _ = os.LookupEnv(n)`), []string{"access-forbidden-os-environment"}},
	{"os.Getenv as a value", "go", "", goFile(`"os"`, `get := os.Getenv; _ = get`), []string{"access-forbidden-os-environment"}},
	{"syscall.Getenv", "go", "", goFile(`"syscall"`, `_, _ = syscall.Getenv("HOME")`), []string{"access-syscall", "access-forbidden-os-environment"}},
	{"syscall.Environ", "go", "", goFile(`"syscall"`, `_ = syscall.Environ()`), []string{"access-syscall", "access-os-environment"}},
	{"fs.ReadFile", "go", "", goFile(`"io/fs"`, `_, _ = fs.ReadFile(nil, "x")`), []string{"access-file-system-with-fs"}},
	{"fs under an alias", "go", "", goFile(`iofs "io/fs"`, `_, _ = iofs.Stat(nil, "x")`), []string{"access-file-system-with-fs"}},
	{"filepath.WalkDir", "go", "", goFile(`"path/filepath"`, `_ = filepath.WalkDir(".", nil)`), []string{"access-file-system-with-filepath"}},
	{"filepath.Glob", "go", "", goFile(`"path/filepath"`, `_, _ = filepath.Glob("*")`), []string{"access-file-system-with-filepath"}},
	{"os.Open", "go", "", goFile(`"os"`, `_, _ = os.Open("x")`), []string{"access-file-system-with-os"}},
	{"os.ReadFile", "go", "", goFile(`"os"`, `_, _ = os.ReadFile("x")`), []string{"access-file-system-with-os"}},
	{"os.Getwd", "go", "", goFile(`"os"`, `_, _ = os.Getwd()`), []string{"access-file-system-with-os"}},
	{"os.TempDir", "go", "", goFile(`"os"`, `_ = os.TempDir()`), []string{"access-file-system-with-os"}},
	{"syscall.Nanosleep", "go", "", goFile(`"syscall"`, `ts := syscall.NsecToTimespec(1); _ = syscall.Nanosleep(&ts, nil)`), []string{"access-syscall", "access-syscall"}},
	{"syscall under an alias", "go", "", goFile(`sc "syscall"`, `_ = sc.Getpid()`), []string{"access-syscall"}},
	{"syscall imported with a dot", "go", "", goFile(`. "syscall"`, `_ = Getpid()`), []string{"access-syscall"}},
	{"sqlds v2", "go", "", goFile(`_ "github.com/grafana/sqlds/v2"`, ``), []string{"outdated-sqlds-version"}},
	{"sqlds v1", "go", "", goFile(`_ "github.com/grafana/sqlds"`, ``), []string{"outdated-sqlds-version"}},
	{"fmt.Println", "go", "", goFile(`"fmt"`, `fmt.Println("x")`), []string{"fmt-print-logging"}},
	{"fmt.Printf and fmt.Print", "go", "", goFile(`"fmt"`, `fmt.Printf("%d", 1); fmt.Print(1)`), []string{"fmt-print-logging", "fmt-print-logging"}},

	{"console.log", "ts", "", "export function f() {\n  console.log('x');\n}\n", []string{"console-logging"}},
	{"console.time, spaced", "ts", "", "console . time ('x');", []string{"console-logging"}},
	{"console in a template expression", "ts", "", "const s = `a ${console.info(1)} b`;", []string{"console-logging"}},
	{"topnav toggle", "ts", "", "if (config.featureToggles.topnav) {}", []string{"topnav-toggle"}},
	{"window.grafanaBootData", "ts", "", "const u = window.grafanaBootData.user;", []string{"window-properties"}},
	{"window.__grafanaSceneContext", "ts", "", "const c = (window as any).__grafanaSceneContext; const d = window.__grafanaSceneContext;", []string{"window-properties"}},
	{"React internals", "ts", "", "const i = React.__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED;", []string{"access-old-react-internals"}},
	{"alert", "ts", "", "alert('x');", []string{"native-browser-dialogs"}},
	{"window.confirm", "ts", "", "if (window.confirm('sure?')) {}", []string{"native-browser-dialogs"}},
	{"window.prompt", "ts", "", "const v = window.prompt('value');", []string{"native-browser-dialogs"}},
	{"window.open with a URL only", "ts", "", "window.open(url);", []string{"window-open-without-noopener"}},
	{"window.open with a target", "ts", "", "window.open(url, '_blank');", []string{"window-open-without-noopener"}},
	{"window.open with noopener only", "ts", "", "window.open(url, '_blank', 'noopener');", []string{"window-open-without-noopener"}},
	{"gf-form class", "ts", "", "const x = <div className=\"gf-form\" />;", []string{"deprecated-gf-form-css-classes"}},
	{"window.location.href", "ts", "", "const h = window.location.href;", []string{"direct-window-location-access"}},
	{"window.location.search", "ts", "", "const p = new URLSearchParams(window.location.search);", []string{"direct-window-location-access"}},
	{"@ts-ignore", "ts", "", "// @ts-ignore\nconst a: number = 'x';", []string{"ts-ignore-suppress"}},
	{"@ts-expect-error", "ts", "", "// @ts-expect-error\nconst a: number = 'x';", []string{"ts-ignore-suppress"}},
	{"css import", "ts", "", "import './styles.css';", []string{"no-direct-css-imports"}},
	{"scss import", "ts", "", "import \"../x/theme.scss\";", []string{"no-direct-css-imports"}},
	{"css imported under a name", "ts", "", "import styles from './panel.module.css';", []string{"no-direct-css-imports"}},
	{"less required", "ts", "", "const t = require('./theme.less');", []string{"no-direct-css-imports"}},
	{"emotion Global", "ts", "", "import { css, Global } from '@emotion/react';\nconst g = <Global styles={s} />;", []string{"no-direct-css-imports", "no-direct-css-imports"}},
	{"/api/ds/query", "ts", "", "getBackendSrv().post('/api/ds/query', body);", []string{"no-api-ds-query-endpoint"}},
	{"testDatasource in a backend data source", "ts", "src/datasource.ts",
		"export class DataSource extends DataSourceWithBackend<Q, O> {\n  constructor(s: S) { super(s); }\n  async testDatasource() { return { status: 'success' }; }\n}\n",
		[]string{"backend-datasource-should-not-implement-testdatasource"}},
}

// good holds near misses, which no rule may flag.
var good = []struct {
	name, lang, path, src string
}{
	{"os.Exit, os.Args and os.Stdout", "go", "", goFile(`"os"`, `_ = os.Args; _ = os.Stdout; os.Exit(0)`)},
	{"os.Getenv of a GF_PLUGIN variable", "go", "", goFile(`"os"`, `_ = os.Getenv("GF_PLUGIN_APP_URL")`)},
	{"os.LookupEnv of a listed Azure variable", "go", "", goFile(`"os"`, `_, _ = os.LookupEnv("AZURE_CLOUD")`)},
	{"filepath.Join and Base", "go", "", goFile(`"path/filepath"`, `_ = filepath.Base(filepath.Join("a", "b"))`)},
	{"fs.FileMode as a type", "go", "", goFile(`"io/fs"`, `var m fs.FileMode; _ = m`)},
	{"fmt.Sprintf and Fprintf", "go", "", goFile(`"fmt"
	"io"`, `_ = fmt.Sprintf("x"); fmt.Fprintf(io.Discard, "x")`)},
	{"golang.org/x/sys/unix", "go", "", goFile(`"golang.org/x/sys/unix"`, `ts := unix.NsecToTimespec(1); _ = unix.Nanosleep(&ts, nil)`)},
	{"sqlds v4", "go", "", goFile(`_ "github.com/grafana/sqlds/v4"`, ``)},
	{"a method named like a flagged function", "go", "", goFile(`"strings"`, `var b strings.Builder; _ = b.String(); type t struct{ os struct{ x int } }; var v t; _ = v.os.x`)},

	{"console.error and console.warn", "ts", "", "console.error('x'); console.warn('y');"},
	{"console.log in comments and strings", "ts", "", "// console.log('x')\n/* alert('y') */\nconst s = 'console.log(1) window.alert(2)';\nconst t = `window.location.href`;"},
	{"a method called alert", "ts", "", "notifier.alert('x'); this.alert();"},
	{"escaped quotes inside strings", "ts", "", "const s = 'it\\'s console.log(1)'; const t = \"say \\\"alert(2)\\\"\"; const u = `a \\` window.alert(3)`;"},
	{"window.open with noopener,noreferrer", "ts", "", "window.open(url, '_blank', 'noopener,noreferrer');"},
	{"window.open with noreferrer,noopener", "ts", "", "window.open(f(a, b), '_blank', \"noreferrer,noopener\");"},
	{"locationService", "ts", "", "import { locationService } from '@grafana/runtime';\nconst p = locationService.getSearchObject();"},
	{"css from emotion", "ts", "", "import { css } from '@emotion/css';\nconst c = css`color: red;`;"},
	{"a module whose name ends in css", "ts", "", "import { cx } from '@emotion/css';\nimport { a } from './not-a-stylesheet';"},
	{"a component named Globals", "ts", "", "const g = <GlobalsPanel />;"},
	{"testDatasource outside datasource.ts", "ts", "src/other.ts", "export class D extends DataSourceWithBackend<Q, O> {\n  testDatasource() {}\n}\n"},
	{"a frontend data source's testDatasource", "ts", "src/datasource.ts", "export class D extends DataSourceApi<Q, O> {\n  testDatasource() {}\n}\n"},
}

func check(t *testing.T, lang, path, src string) []string {
	t.Helper()
	if path == "" {
		path = "src/x.ts"
		if lang == "go" {
			path = "pkg/x.go"
		}
	}
	var fs []Finding
	if lang == "go" {
		var err error
		if fs, err = CheckGo(path, []byte(src)); err != nil {
			t.Fatalf("CheckGo: %v\n%s", err, src)
		}
	} else {
		fs = CheckTS(path, []byte(src))
	}
	var ids []string
	for _, f := range fs {
		if f.Path != path || f.Line < 1 {
			t.Errorf("finding %+v: want path %s and a line", f, path)
		}
		ids = append(ids, f.RuleID)
	}
	sort.Strings(ids)
	return ids
}

func TestEachRuleCatchesItsConstructs(t *testing.T) {
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			got := check(t, c.lang, c.path, c.src)
			want := append([]string(nil), c.want...)
			sort.Strings(want)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("findings %v, want %v in\n%s", got, want, c.src)
			}
		})
	}
}

func TestNearMissesAreNotFlagged(t *testing.T) {
	for _, c := range good {
		t.Run(c.name, func(t *testing.T) {
			if got := check(t, c.lang, c.path, c.src); len(got) != 0 {
				t.Errorf("findings %v, want none in\n%s", got, c.src)
			}
		})
	}
}

// Every rule of the list has a case above, in its own language, so that a
// rule added to the list without a checker fails here.
func TestEveryRuleIsTested(t *testing.T) {
	tested := map[string]string{}
	for _, c := range bad {
		for _, id := range c.want {
			tested[id] = c.lang
		}
	}
	for _, r := range Rules {
		if lang, ok := tested[r.ID]; !ok || lang != r.Lang {
			t.Errorf("rule %s (%s) has no case in bad", r.ID, r.Lang)
		}
	}
	if len(tested) != len(Rules) {
		t.Errorf("bad names %d rules, Rules lists %d", len(tested), len(Rules))
	}
}

func TestFindingNamesFileLineRuleAndFix(t *testing.T) {
	src := goFile(`"syscall"`, `_ = syscall.Getpid()`)
	fs, err := CheckGo("pkg/schedule/sleep_linux.go", []byte(src))
	if err != nil || len(fs) != 1 {
		t.Fatalf("CheckGo: %v, %v", fs, err)
	}
	want := "pkg/schedule/sleep_linux.go:8: code-rules-access-syscall (error): syscall.Getpid: plugins may not use the syscall package: use the standard library or golang.org/x/sys"
	if got := fs[0].String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestGoThatDoesNotParseIsAnError(t *testing.T) {
	if _, err := CheckGo("pkg/x.go", []byte("package p\nfunc {")); err == nil {
		t.Error("CheckGo accepted a file that does not parse")
	}
}

// DEVELOPERS.md lists the rules the check enforces, with their severities:
// its table must name every rule of the list, and no other.
func TestDevelopersListsEveryRule(t *testing.T) {
	raw, err := os.ReadFile("../../DEVELOPERS.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	start := strings.Index(doc, "### Code rules")
	if start < 0 {
		t.Fatal(`DEVELOPERS.md has no "### Code rules" section`)
	}
	doc = doc[start+len("### Code rules"):]
	if end := strings.Index(doc, "\n#"); end >= 0 {
		doc = doc[:end]
	}
	listed := map[string]string{}
	for _, line := range strings.Split(doc, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		listed[strings.Trim(strings.TrimSpace(cells[1]), "`")] = strings.TrimSpace(cells[3])
	}
	for _, r := range Rules {
		if sev, ok := listed[r.ID]; !ok || sev != string(r.Severity) {
			t.Errorf("DEVELOPERS.md lists %s as %q, want a row with severity %s", r.ID, sev, r.Severity)
		}
		delete(listed, r.ID)
	}
	for id := range listed {
		t.Errorf("DEVELOPERS.md lists %s, which the check does not enforce", id)
	}
}

// The plugin validator's own examples (testdata/validator, from its
// coderules tests at the pinned version): each file gives the findings the
// validator's tests expect from semgrep, as "line rule", in the order
// CheckGo and CheckTS report them. Where this check is stricter the entry
// says so; it never reports less. The examples the validator skips as
// tests (*.test.ts, *.spec.tsx) are left out here as cmd/coderules leaves
// them out (its TestReadsEveryNonTestFileUnderPkgAndSrc); the .js files
// beside them are read, stricter than the validator's "*.js" exclusion.
func TestValidatorExamples(t *testing.T) {
	want := map[string][]string{
		"access-env/main.go": {"11 access-forbidden-os-environment", "14 access-os-environment"},
		// The validator's semgrep follows the constant into line 12's call and
		// lets line 16's GF_PLUGIN_ALLOWED_ENV through; this check flags
		// every name that is not a literal (line 16 too).
		"access-env-allowed/main.go":                               {"12 access-forbidden-os-environment", "16 access-forbidden-os-environment", "19 access-forbidden-os-environment", "26 access-os-environment"},
		"access-fs/main.go":                                        {"14 access-file-system-with-filepath", "22 access-file-system-with-fs", "22 access-file-system-with-os"},
		"access-window/src/index.ts":                               {"2 window-properties", "3 window-properties", "4 window-properties", "5 window-properties"},
		"api-ds-query-endpoint-bad/src/index.ts":                   {"2 no-api-ds-query-endpoint"},
		"api-ds-query-endpoint-good/src/index.ts":                  nil,
		"backend-datasource-testdatasource-bad/src/datasource.ts":  {"4 backend-datasource-should-not-implement-testdatasource"},
		"backend-datasource-testdatasource-good/src/datasource.ts": nil,
		"console-log/src/index.ts":                                 {"2 console-logging"},
		"console-log/src/foobar.js":                                {"3 console-logging"}, // stricter: the validator skips *.js
		"deprecated-gf-form-bad/src/index.ts":                      {"4 deprecated-gf-form-css-classes", "5 deprecated-gf-form-css-classes", "6 deprecated-gf-form-css-classes"},
		// The validator reports line 4 twice (two of its patterns match it).
		"direct-window-location-bad/src/index.ts":  {"2 direct-window-location-access", "3 direct-window-location-access", "4 direct-window-location-access"},
		"direct-window-location-good/src/index.ts": nil,
		"fmt-print-logging/main.go":                {"6 fmt-print-logging", "7 fmt-print-logging", "8 fmt-print-logging"},
		"native-browser-dialogs-bad/src/index.ts":  {"2 native-browser-dialogs", "3 native-browser-dialogs", "4 native-browser-dialogs", "5 native-browser-dialogs"},
		"no-direct-css-imports/src/index.ts":       {"1 no-direct-css-imports", "2 no-direct-css-imports", "3 no-direct-css-imports"},
		"no-direct-css-imports-good/src/index.tsx": nil,
		"no-emotion-global-import/src/index.tsx":   {"6 no-direct-css-imports", "13 no-direct-css-imports", "2 no-direct-css-imports"},
		"old-react-internals/src/module.tsx":       {"4 access-old-react-internals"},
		"outdated-sqlds-bad/main.go":               {"4 outdated-sqlds-version", "5 outdated-sqlds-version"},
		"outdated-sqlds-good/main.go":              nil,
		"topnav-toggle/src/index.ts":               {"5 topnav-toggle"},
		"topnav-toggle/src/foobar.js":              {"6 topnav-toggle"}, // stricter: the validator skips *.js
		"ts-ignore-bad/src/index.ts":               {"1 ts-ignore-suppress", "4 ts-ignore-suppress"},
		"ts-ignore-good/src/index.ts":              nil,
		"use-syscall/main.go":                      {"10 access-syscall"},
		"window-open-bad/src/index.ts":             {"2 window-open-without-noopener", "3 window-open-without-noopener", "4 window-open-without-noopener"},
		"window-open-good/src/index.ts":            nil,
	}
	seen := map[string]bool{}
	err := filepath.WalkDir("testdata/validator", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "README.md") {
			return err
		}
		rel := strings.TrimPrefix(filepath.ToSlash(p), "testdata/validator/")
		if strings.Contains(rel, ".test.") || strings.Contains(rel, ".spec.") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var findings []Finding
		if strings.HasSuffix(rel, ".go") {
			if findings, err = CheckGo(rel, src); err != nil {
				return err
			}
		} else {
			findings = CheckTS(rel, src)
		}
		var got []string
		for _, f := range findings {
			got = append(got, fmt.Sprintf("%d %s", f.Line, f.RuleID))
		}
		w, ok := want[rel]
		if !ok {
			t.Errorf("%s: a validator example this test has no expectation for; got %q", rel, got)
		} else if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: got %q, want %q", rel, got, w)
		}
		seen[rel] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for rel := range want {
		if !seen[rel] {
			t.Errorf("%s: expected but not in testdata/validator", rel)
		}
	}
}

// The rules are those of the validator at the version scripts/versions.sh
// pins; when that pin moves, its semgrep-rules.yaml and examples must be
// read again.
func TestValidatorVersionIsThePinned(t *testing.T) {
	pins, err := os.ReadFile("../../scripts/versions.sh")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(pins), "\nTICKSTREAM_VALIDATOR_VERSION="+ValidatorVersion+"\n") {
		t.Errorf("scripts/versions.sh pins another plugin validator than the %s whose rules internal/coderules applies: compare that tag's pkg/analysis/passes/coderules/semgrep-rules.yaml with Rules, replace testdata/validator with its testdata, then set ValidatorVersion", ValidatorVersion)
	}
}
