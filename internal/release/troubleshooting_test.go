package release

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tickstream/streaming/internal/vectors"
)

// troubleshooting is the docs page that lists every error message a user
// can get from the backend, each with its fix.
const troubleshooting = "../../docs/troubleshooting.md"

// docMessages returns the messages docs/troubleshooting.md lists (each in
// backticks) under "## Query errors" and "## Settings errors", as patterns
// in which {placeholder} and … stand for any text.
func docMessages(t *testing.T) (patterns []*regexp.Regexp, text string) {
	t.Helper()
	raw, err := os.ReadFile(troubleshooting)
	if err != nil {
		t.Fatal(err)
	}
	var sections strings.Builder
	keep := false
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "## ") {
			keep = line == "## Query errors" || line == "## Settings errors"
		}
		if keep {
			sections.WriteString(line + "\n")
		}
	}
	text = sections.String()
	placeholder := regexp.MustCompile(`\\\{[^}]*\\\}|…`)
	for _, m := range regexp.MustCompile("`([^`\n]+)`").FindAllStringSubmatch(text, -1) {
		quoted := regexp.QuoteMeta(m[1])
		if len(placeholder.ReplaceAllString(quoted, "")) < 20 {
			continue // a placeholder or a value named in the prose ({got}, `null`), not a message
		}
		re := placeholder.ReplaceAllString(quoted, ".*")
		patterns = append(patterns, regexp.MustCompile("^"+re+"$"))
	}
	return patterns, text
}

// fromVariable is the suffix a message gets when a dashboard variable gave
// the field its value; troubleshooting.md lists it once, as "… (from the
// dashboard variable $v)".
var fromVariable = regexp.MustCompile(` \(from the dashboard variables? [^)]*\)$`)

// Every error the vectors give (the exact messages the backend and the
// editor show, testdata/validation-vectors.json) is listed in
// docs/troubleshooting.md, with its values as placeholders.
func TestTroubleshootingListsEveryVectorMessage(t *testing.T) {
	patterns, _ := docMessages(t)
	f, err := vectors.Load()
	if err != nil {
		t.Fatal(err)
	}
	missing := map[string]string{} // message -> section
	check := func(section, msg string) {
		msg = fromVariable.ReplaceAllString(msg, "")
		for _, p := range patterns {
			if p.MatchString(msg) {
				return
			}
		}
		missing[msg] = section
	}
	for _, c := range f.Queries {
		for _, e := range c.Errors {
			check("Query errors", e.Message)
		}
	}
	for _, c := range f.Settings {
		for _, e := range c.Errors {
			check("Settings errors", e.Message)
		}
	}
	for _, msg := range sortedKeys(boolSet(missing)) {
		t.Errorf("docs/troubleshooting.md does not list the message\n  %s\nadd it under %q in backticks, with the values that vary written as {got}, {min}, … and what to do about it", msg, "## "+missing[msg])
	}
}

// Every message the query, settings and health code builds (pkg/models,
// pkg/plugin: the text of an add(field, kind, message), a Message field
// (but a healthy health check's), a fail or userError call, a ...Message
// or ...Rule constant) has its fixed
// text, up to the first value it inserts, in docs/troubleshooting.md; this
// also catches a message no vector covers yet.
func TestTroubleshootingListsEveryMessageInTheCode(t *testing.T) {
	_, text := docMessages(t)
	doc := strings.ReplaceAll(text, "\n", " ")
	for _, dir := range []string{"../../pkg/models", "../../pkg/plugin"} {
		for _, m := range codeMessages(t, dir) {
			if !strings.Contains(doc, m.text) {
				t.Errorf("docs/troubleshooting.md does not list the message that %s builds, which begins\n  %s\nadd the whole message under \"## Query errors\" (\"## Settings errors\" for a data source setting) in backticks, with the values that vary written as {got}, {min}, … and what to do about it", m.where, m.text)
			}
		}
	}
}

type codeMessage struct{ where, text string }

// codeMessages returns the fixed text that begins each message built in
// the package in dir (its non-test files).
func codeMessages(t *testing.T, dir string) []codeMessage {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]string{}
	var parsed []*ast.File
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
		ast.Inspect(f, func(n ast.Node) bool {
			if vs, ok := n.(*ast.ValueSpec); ok {
				for i, id := range vs.Names {
					if i < len(vs.Values) {
						if s, ok := leadingText(vs.Values[i], nil); ok {
							consts[id.Name] = s
						}
					}
				}
			}
			return true
		})
	}
	var out []codeMessage
	add := func(pos token.Pos, e ast.Expr) {
		if s, ok := leadingText(e, consts); ok && len(s) >= 10 {
			p := fset.Position(pos)
			out = append(out, codeMessage{filepath.ToSlash(filepath.Join("pkg", filepath.Base(dir), filepath.Base(p.Filename))) + ":" + strconv.Itoa(p.Line), s})
		}
	}
	for _, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok {
					switch {
					case id.Name == "add" && len(n.Args) == 3:
						add(n.Pos(), n.Args[2])
					case (id.Name == "fail" || id.Name == "userError") && len(n.Args) == 1:
						add(n.Pos(), n.Args[0])
					}
				}
			case *ast.CompositeLit:
				// A Message field, but a health check's success message.
				var msg ast.Expr
				healthy := false
				for _, el := range n.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Message" {
						msg = kv.Value
					}
					if sel, ok := kv.Value.(*ast.SelectorExpr); ok && sel.Sel.Name == "HealthStatusOk" {
						healthy = true
					}
				}
				if msg != nil && !healthy {
					add(msg.Pos(), msg)
				}
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if i < len(n.Values) && (strings.HasSuffix(id.Name, "Message") || strings.HasSuffix(id.Name, "Rule")) {
						add(id.Pos(), n.Values[i])
					}
				}
			}
			return true
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].where < out[j].where })
	return out
}

// leadingText returns the fixed text a string expression begins with: the
// leftmost literal (or known constant) of a + chain, up to where it ends;
// for a chain that begins with a value (field + " must be ..."), its first
// literal, trimmed.
func leadingText(e ast.Expr, consts map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return strings.TrimSpace(s), err == nil
	case *ast.Ident:
		s, ok := consts[e.Name]
		return s, ok
	case *ast.ParenExpr:
		return leadingText(e.X, consts)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		if s, ok := leadingText(e.X, consts); ok {
			return s, true
		}
		return leadingText(e.Y, consts)
	}
	return "", false
}

func boolSet(m map[string]string) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}
