// Package reactcompat finds, in a built frontend (dist/*.js), the React
// APIs that React 19 removed, as the plugin catalog's review does: the
// validator's reactcompat analyzer (grafana/plugin-validator,
// pkg/analysis/passes/reactcompat) searches module.js for these byte
// patterns and warns about each rule it matches, and @grafana/react-detect
// (grafana/plugin-tools, packages/react-detect) reports the same APIs.
// Neither can run on the development machines (react-detect is not on the
// npm registry, the validator needs the network), so Tickstream checks the
// same constructs itself: Grafana 12.x runs React 18 and 13.x React 19, and
// one bundle serves both only when it uses none of them.
package reactcompat

import (
	"bytes"
	"fmt"
	"regexp"
)

// UpgradeGuide is the page every finding points at, as the validator's do.
const UpgradeGuide = "https://react.dev/blog/2024/04/25/react-19-upgrade-guide"

// Rule is one of the validator's reactcompat rules: its name (the
// validator reports it as a warning under this name), what it means and
// the patterns that trigger it.
type Rule struct {
	Name     string
	Problem  string
	Fix      string
	Patterns []Pattern
}

// Pattern is one detector of a rule: a literal byte string or, for string
// refs, a regular expression, matched against minified JavaScript.
type Pattern struct {
	Literal string
	Regexp  *regexp.Regexp
}

// String is the pattern as a finding shows it.
func (p Pattern) String() string {
	if p.Regexp != nil {
		return p.Regexp.String()
	}
	return p.Literal
}

// match reports whether code holds the pattern.
func (p Pattern) match(code []byte) bool {
	if p.Regexp != nil {
		return p.Regexp.Match(code)
	}
	return bytes.Contains(code, []byte(p.Literal))
}

// importedCall matches webpack's call of an imported function,
// (0,x.name)(…), which the validator's literal "name(" misses and
// react-detect, reading the source through the source map, finds.
func importedCall(name string) Pattern {
	return Pattern{Regexp: regexp.MustCompile(`\.` + name + `\)\(`)}
}

func literals(s ...string) []Pattern {
	out := make([]Pattern, len(s))
	for i, l := range s {
		out[i] = Pattern{Literal: l}
	}
	return out
}

// Rules are the validator's rules with its patterns, in its order, and a
// few more patterns that catch the same API where the validator's literal
// would miss it (stricter: code that passes these passes the review).
var Rules = []Rule{
	{
		Name:     "react-19-prop-types",
		Problem:  "propTypes and defaultProps on function components were removed in React 19",
		Fix:      "use TypeScript types and ES default parameters",
		Patterns: literals(".propTypes=", ".defaultProps="),
	},
	{
		Name:     "react-19-legacy-context",
		Problem:  "contextTypes, childContextTypes and getChildContext (legacy context) were removed in React 19",
		Fix:      "use React.createContext and contextType or useContext",
		Patterns: literals(".contextTypes=", ".childContextTypes=", "getChildContext"),
	},
	{
		Name:    "react-19-string-refs",
		Problem: "string refs were removed in React 19",
		Fix:     "use a callback ref, useRef or React.createRef",
		Patterns: []Pattern{
			{Regexp: regexp.MustCompile(`ref:"[^"]+?"`)},
			{Regexp: regexp.MustCompile(`ref:'[^']+'`)},
			// react-detect's stringRefs pattern: a class component reading this.refs.
			{Regexp: regexp.MustCompile(`\bthis\.refs\b`)},
		},
	},
	{
		Name:     "react-19-create-factory",
		Problem:  "React.createFactory was removed in React 19",
		Fix:      "use JSX",
		Patterns: append(literals("createFactory("), importedCall("createFactory")),
	},
	{
		Name:     "react-19-find-dom-node",
		Problem:  "ReactDOM.findDOMNode was removed in React 19",
		Fix:      "use a ref to the DOM node",
		Patterns: append(literals("findDOMNode("), importedCall("findDOMNode")),
	},
	{
		Name:     "react-19-legacy-render",
		Problem:  "ReactDOM.render and unmountComponentAtNode were removed in React 19",
		Fix:      "use createRoot(container).render and root.unmount",
		Patterns: append(literals("ReactDOM.render(", "unmountComponentAtNode("), importedCall("unmountComponentAtNode")),
	},
	{
		Name:     "react-19-secret-internals",
		Problem:  "React's __SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED was removed in React 19",
		Fix:      "drop the library that reads React's internals, or update it",
		Patterns: literals("__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED"),
	},
}

// Finding is a rule a file matched, with the first pattern that matched.
type Finding struct {
	File    string
	Rule    *Rule
	Pattern Pattern
}

// String says where, which rule, what it means and how to fix it.
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: found %q: %s; %s (%s)", f.File, f.Rule.Name, f.Pattern.String(), f.Rule.Problem, f.Rule.Fix, UpgradeGuide)
}

// Check returns a finding for every rule the code of file matches, at most
// one per rule, as the validator reports each rule once.
func Check(file string, code []byte) []Finding {
	var out []Finding
	for i := range Rules {
		rule := &Rules[i]
		for _, p := range rule.Patterns {
			if p.match(code) {
				out = append(out, Finding{File: file, Rule: rule, Pattern: p})
				break
			}
		}
	}
	return out
}
