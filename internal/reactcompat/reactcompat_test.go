package reactcompat

import (
	"strings"
	"testing"
)

// flagged holds, for every pattern of every rule, code that uses it: the
// validator's own test inputs where it has them (reactcompat_test.go), and
// the shapes minifiers emit.
var flagged = map[string][]string{
	".propTypes=":                  {`MyComponent.propTypes={name:PropTypes.string}`},
	".defaultProps=":               {`MyComponent.defaultProps={name:"default"}`, `e.defaultProps={size:"md"}`},
	".contextTypes=":               {`MyComponent.contextTypes={theme:PropTypes.object}`},
	".childContextTypes=":          {`MyComponent.childContextTypes={theme:PropTypes.object}`},
	"getChildContext":              {`getChildContext(){return{theme:this.state.theme}}`},
	`ref:"[^"]+?"`:                 {`<input ref:"myInput"/>`, `(0,o.jsx)("input",{ref:"box"})`},
	`ref:'[^']+'`:                  {`<input ref:'myInput'/>`},
	`\bthis\.refs\b`:               {`var n=this.refs.input;`, `const{input:n}=this.refs`},
	"createFactory(":               {`var el=React.createFactory(MyComponent)`},
	`\.createFactory\)\(`:          {`(0,r.createFactory)(t)`},
	"findDOMNode(":                 {`var node=ReactDOM.findDOMNode(this)`},
	`\.findDOMNode\)\(`:            {`(0,a.findDOMNode)(this)`},
	"ReactDOM.render(":             {`ReactDOM.render(<App/>,document.getElementById("root"))`},
	"unmountComponentAtNode(":      {`ReactDOM.unmountComponentAtNode(container)`},
	`\.unmountComponentAtNode\)\(`: {`(0,d.unmountComponentAtNode)(c)`},
	"__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED": {
		`React.__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED.ReactCurrentOwner`,
	},
}

// passes holds code that looks close but uses nothing React 19 removed,
// including the validator's near misses.
var passes = []string{
	`import { PanelPlugin } from '@grafana/data'`,
	`ref:someVariable`,              // a ref held in a variable
	`(0,o.jsx)("input",{ref:n})`,    // a callback or object ref
	`component.render(props)`,       // .render( without ReactDOM.
	`(0,c.createRoot)(e).render(t)`, // React 18's and 19's root API
	`t.unmount()`,
	`var propTypes={};x.propTypesX=1`,
	`const defaultProps = {}; function F({ size = "md" }) {}`,
	`this.refsCount=1`, // another property that starts like refs
}

func TestEveryPatternHasAFlaggedCase(t *testing.T) {
	seen := map[string]bool{}
	for _, rule := range Rules {
		for _, p := range rule.Patterns {
			seen[p.String()] = true
			if len(flagged[p.String()]) == 0 {
				t.Errorf("rule %s: pattern %q has no flagged case", rule.Name, p.String())
			}
		}
	}
	for pattern := range flagged {
		if !seen[pattern] {
			t.Errorf("flagged case for %q, which no rule has", pattern)
		}
	}
}

func TestFlagged(t *testing.T) {
	for _, rule := range Rules {
		for _, p := range rule.Patterns {
			for _, code := range flagged[p.String()] {
				findings := Check("module.js", []byte(code))
				if len(findings) != 1 || findings[0].Rule.Name != rule.Name {
					t.Errorf("%s: got %v, want one finding of %s", code, findings, rule.Name)
					continue
				}
				msg := findings[0].String()
				for _, want := range []string{"module.js: ", rule.Name, rule.Fix, UpgradeGuide} {
					if !strings.Contains(msg, want) {
						t.Errorf("%s: message %q does not say %q", code, msg, want)
					}
				}
			}
		}
	}
}

func TestPasses(t *testing.T) {
	for _, code := range passes {
		if findings := Check("module.js", []byte(code)); len(findings) != 0 {
			t.Errorf("%s: flagged %v", code, findings)
		}
	}
}

func TestOneFindingPerRule(t *testing.T) {
	// As the validator: .propTypes= and .defaultProps= are one rule, reported once;
	// three rules hit are three findings.
	code := `A.propTypes={};A.defaultProps={};ReactDOM.render(a,b);var n=ReactDOM.findDOMNode(this)`
	var names []string
	for _, f := range Check("module.js", []byte(code)) {
		names = append(names, f.Rule.Name)
	}
	want := []string{"react-19-prop-types", "react-19-find-dom-node", "react-19-legacy-render"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("got %v, want %v", names, want)
	}
}
