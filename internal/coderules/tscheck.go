package coderules

import (
	"path/filepath"
	"regexp"
	"strings"
)

// tsCode are the rules whose semgrep patterns match code: they are
// matched on the source with comments and string contents blanked, so
// that `// console.log` or 'window.alert(' in a message is no finding.
var tsCode = []struct {
	id string
	re *regexp.Regexp
}{
	{"console-logging", regexp.MustCompile(`(?:^|[^\w$.])(console\s*\.\s*(?:log|info|table|clear|count|countReset|dir|dirxml|group|groupEnd|time|timeEnd|timeLog|trace))\s*\(`)},
	{"topnav-toggle", regexp.MustCompile(`(featureToggles\s*\.\s*topnav)\b`)},
	{"native-browser-dialogs", regexp.MustCompile(`(?:^|[^\w$.])(alert|window\s*\.\s*(?:alert|confirm|prompt))\s*\(`)},
	{"direct-window-location-access", regexp.MustCompile(`(?:^|[^\w$.])(window\s*\.\s*location\s*\.\s*(?:search|href))\b`)},
	{"no-direct-css-imports", regexp.MustCompile(`(<Global)\b`)},
}

// tsText are the rules that semgrep matches with pattern-regex, on the
// raw text, comments included.
var tsText = []struct {
	id string
	re *regexp.Regexp
}{
	{"window-properties", regexp.MustCompile(`(window\.(?:grafanaBootData|grafanaRuntime|__grafanaSceneContext))`)},
	{"access-old-react-internals", regexp.MustCompile(`(__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED)`)},
	{"deprecated-gf-form-css-classes", regexp.MustCompile(`(gf-form)`)},
	{"ts-ignore-suppress", regexp.MustCompile(`(@ts-ignore|@ts-expect-error)`)},
	{"no-direct-css-imports", regexp.MustCompile(`(import\s+['"].*\.(?:css|scss|less)['"])`)},
	// Stricter than the validator's regex, which sees only side-effect
	// imports: a stylesheet imported under a name or required is as global.
	{"no-direct-css-imports", regexp.MustCompile(`((?:import\s+[\w*{}\s,]+?\s+from|require\s*\()\s*['"][^'"\n]*\.(?:css|scss|less)['"])`)},
	{"no-api-ds-query-endpoint", regexp.MustCompile(`(/api/ds/query)`)},
}

var (
	emotionGlobal = regexp.MustCompile(`import\s*(?:type\s+)?\{[^}]*\bGlobal\b[^}]*\}\s*from\s*['"]@emotion/react['"]`)
	windowOpen    = regexp.MustCompile(`(?:^|[^\w$.])(window\s*\.\s*open)\s*\(`)
	testDatasrc   = regexp.MustCompile(`(?s)class\s+\w+\s+extends\s+DataSourceWithBackend(?:<[^>]+>)?\s*\{.*?\b(testDatasource)\s*\(`)
)

// CheckTS returns the findings in one TypeScript or JavaScript source
// file; path is how findings name it (the testDatasource rule applies to
// files named datasource.ts, as the validator's does).
func CheckTS(path string, src []byte) []Finding {
	text := string(src)
	code := blank(text)
	var out []Finding
	add := func(at int, id, what string) {
		out = append(out, Finding{Path: path, Line: 1 + strings.Count(text[:at], "\n"), RuleID: id, What: what})
	}
	for _, r := range tsCode {
		for _, m := range r.re.FindAllStringSubmatchIndex(code, -1) {
			add(m[2], r.id, text[m[2]:m[3]])
		}
	}
	for _, r := range tsText {
		for _, m := range r.re.FindAllStringSubmatchIndex(text, -1) {
			add(m[2], r.id, text[m[2]:m[3]])
		}
	}
	for _, m := range emotionGlobal.FindAllStringIndex(text, -1) {
		if code[m[0]] == 'i' { // the import keyword itself is code
			add(m[0], "no-direct-css-imports", "import { Global } from '@emotion/react'")
		}
	}
	for _, m := range windowOpen.FindAllStringSubmatchIndex(code, -1) {
		args := splitArgs(code, m[1])
		if len(args) == 3 {
			features := text[args[2][0]:args[2][1]]
			if strings.Contains(features, "noopener") && strings.Contains(features, "noreferrer") {
				continue
			}
		}
		add(m[2], "window-open-without-noopener", "window.open(…)")
	}
	if filepath.Base(path) == "datasource.ts" {
		for _, m := range testDatasrc.FindAllStringSubmatchIndex(text, -1) {
			add(m[2], "backend-datasource-should-not-implement-testdatasource", "testDatasource(")
		}
	}
	return out
}

// splitArgs returns the [start, end) offsets of the top-level arguments of
// the call whose opening parenthesis is just before code[open:], or none
// when it is not closed.
func splitArgs(code string, open int) [][2]int {
	var args [][2]int
	depth, start := 0, open
	for i := open; i < len(code); i++ {
		switch code[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth == 0 {
				if strings.TrimSpace(code[start:i]) != "" {
					args = append(args, [2]int{start, i})
				}
				return args
			}
			depth--
		case ',':
			if depth == 0 {
				args = append(args, [2]int{start, i})
				start = i + 1
			}
		}
	}
	return nil
}

// blank returns src with the contents of comments, strings and template
// literals replaced by spaces (newlines kept, so offsets and lines stay),
// and the ${…} expressions of templates kept as code. Regular-expression
// literals are read as code: a quote inside one would mislead it, which
// shipped code avoids.
func blank(src string) string {
	b := []byte(src)
	const (
		code = iota
		line
		block
		single
		double
		template
	)
	state := code
	var braces []int // per open ${: the brace depth of code to return to the template at
	depth := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		next := byte(0)
		if i+1 < len(b) {
			next = b[i+1]
		}
		switch state {
		case code:
			switch {
			case c == '/' && next == '/':
				state, i = line, i+1
			case c == '/' && next == '*':
				state, i = block, i+1
			case c == '\'':
				state = single
			case c == '"':
				state = double
			case c == '`':
				state = template
			case c == '{':
				depth++
			case c == '}':
				if len(braces) > 0 && braces[len(braces)-1] == depth {
					braces = braces[:len(braces)-1]
					state = template
				} else {
					depth--
				}
			}
		case line:
			if c == '\n' {
				state = code
			} else {
				b[i] = ' '
			}
		case block:
			if c == '*' && next == '/' {
				state, i = code, i+1
			} else if c != '\n' {
				b[i] = ' '
			}
		case single, double:
			quote := byte('\'')
			if state == double {
				quote = '"'
			}
			switch {
			case c == '\\' && next != 0:
				i = blankEscape(b, i)
			case c == quote || c == '\n':
				state = code
			default:
				b[i] = ' '
			}
		case template:
			switch {
			case c == '\\' && next != 0:
				i = blankEscape(b, i)
			case c == '`':
				state = code
			case c == '$' && next == '{':
				braces = append(braces, depth)
				state, i = code, i+1
			case c != '\n':
				b[i] = ' '
			}
		}
	}
	return string(b)
}

// blankEscape blanks the escape sequence at b[i] (a backslash and the
// character it escapes; an escaped newline stays, for the line numbers) and
// returns the index of its last byte.
func blankEscape(b []byte, i int) int {
	b[i] = ' '
	if b[i+1] != '\n' {
		b[i+1] = ' '
	}
	return i + 1
}
