package models

import (
	"strconv"
	"strings"

	"github.com/tickstream/streaming/pkg/jsnum"
)

// SignalKind names what a query's series carry: numbers, the names of
// states, or log lines. Its values are the JSON strings of the query's kind
// field and of the channel path's kind segment.
type SignalKind string

// The kinds of DEVELOPERS.md, in the order the kind message names them.
const (
	// SignalNumber is a numeric value per series and tick: the shapes.
	SignalNumber SignalKind = "number"
	// SignalState is a state name per series and tick, picked by which of
	// n equal bands between the limits the numeric signal falls into.
	SignalState SignalKind = "state"
	// SignalLogs is a log line per series and tick, in Grafana's logs
	// frame format.
	SignalLogs SignalKind = "logs"
)

// SignalKinds lists every kind, in the order the kind message names them.
var SignalKinds = [...]SignalKind{SignalNumber, SignalState, SignalLogs}

// Valid reports whether k is one of SignalKinds.
func (k SignalKind) Valid() bool {
	for _, known := range SignalKinds {
		if k == known {
			return true
		}
	}
	return false
}

// Bounds of the gaps fields (DEVELOPERS.md rules 20 to 28).
const (
	// MaxDropPercent is the dropPercent that makes every point null.
	MaxDropPercent = 100
	// MaxOutagePeriod is the longest outagePeriod: 365 days in ms, as the
	// shapes' period.
	MaxOutagePeriod = 31_536_000_000
	// MaxValues is the most numbers a csv shape's values may hold.
	MaxValues = 1000
	// MaxStates is the most names a state kind's states may hold.
	MaxStates = 100
)

// gapsInputs are the fields of rules 20 to 28 (dropPercent, outages, values, kind, states) as received.
type gapsInputs struct {
	drop, outagePeriod, outageDuration input
	values, kind, states               stringValue
}

// gaps is the validated, normalized form of gapsInputs.
type gaps struct {
	drop                         float64
	outagePeriod, outageDuration int64
	values                       string
	kind                         SignalKind
	states                       string
}

const (
	valuesRule = "values must be 1 to 1000 finite numbers separated by commas, such as 1,2,3,5,8; got "
	statesRule = "states must be 1 to 100 names separated by commas, such as OK,WARN,CRIT, each made of letters, digits, _ and - only (the characters a channel path allows); got "
)

// validateGaps applies rules 20 to 28 of DEVELOPERS.md. shape is the
// query's shape, ShapeCSV only when it was valid and csv.
func validateGaps(in gapsInputs, shape Shape, shapeValid bool, lower, upper input, add func(field string, kind Kind, message string)) gaps {
	var g gaps
	// Rule 20.
	if !in.drop.isNumber || !(in.drop.number >= 0 && in.drop.number <= MaxDropPercent) {
		add("dropPercent", KindInvalid, "dropPercent must be a number from 0 to 100; got "+in.drop.got)
	} else {
		g.drop = withoutNegativeZero(in.drop.number)
	}

	// Rules 21 to 23.
	periodOK := in.outagePeriod.isWholeIn(0, MaxOutagePeriod)
	if !periodOK {
		add("outagePeriod", KindInvalid, "outagePeriod must be a whole number of milliseconds from 0 (no outages) to 31536000000 (365 days); got "+in.outagePeriod.got)
	}
	durationOK := in.outageDuration.isWholeIn(0, MaxOutagePeriod)
	if !durationOK {
		add("outageDuration", KindInvalid, "outageDuration must be a whole number of milliseconds from 0 (no outages) to 31536000000 (365 days); got "+in.outageDuration.got)
	}
	if periodOK && durationOK {
		p, d := in.outagePeriod.number, in.outageDuration.number
		if (p != 0 || d != 0) && !(d > 0 && d < p) {
			add("outageDuration", KindInvalid, "outageDuration must be more than 0 and less than outagePeriod, or both 0 for no outages; got outageDuration "+
				in.outageDuration.got+" and outagePeriod "+in.outagePeriod.got)
		} else {
			g.outagePeriod, g.outageDuration = int64(p), int64(d)
		}
	}

	// Rules 24 and 25: values belong to the csv shape; an invalid shape is
	// reported by rule 8 and its values are not checked.
	switch {
	case !shapeValid:
	case shape == ShapeCSV:
		values, problem := normalizeValues(in.values)
		if problem != "" {
			add("values", KindInvalid, valuesRule+problem)
			break
		}
		g.values = values
		if !lower.isFinite() || !upper.isFinite() {
			break // rules 3 and 4 report the limits
		}
		for i, x := range (Query{Values: values}).ValueList() {
			if x < lower.number || x > upper.number {
				add("values", KindInvalid, "values must lie between lowerLimit and upperLimit; got "+jsnum.Format(x)+" as number "+
					strconv.Itoa(i+1)+" with lowerLimit "+lower.got+" and upperLimit "+upper.got)
				break
			}
		}
	case !in.values.isString || in.values.text != "":
		add("values", KindInvalid, "values is only for shape csv: remove it or set shape to csv; got "+in.values.got+" with shape "+string(shape))
	}

	// Rule 26.
	g.kind = SignalKind(in.kind.text)
	kindValid := in.kind.isString && g.kind.Valid()
	if !kindValid {
		add("kind", KindInvalid, "kind must be one of number, state, logs; got "+in.kind.got)
		g.kind = DefaultKind
	}

	// Rules 27 and 28: states belong to the state kind; an invalid kind's
	// states are not checked.
	switch {
	case !kindValid:
	case g.kind == SignalState:
		if states, problem := normalizeStates(in.states); problem != "" {
			add("states", KindInvalid, statesRule+problem)
		} else {
			g.states = states
		}
	case !in.states.isString || in.states.text != "":
		add("states", KindInvalid, "states is only for kind state: remove it or set kind to state; got "+in.states.got+" with kind "+string(g.kind))
	}
	return g
}

// normalizeValues returns the numbers of a csv shape's values in canonical
// text (jsnum.Format, -0 as 0) joined by commas, or what is wrong with them
// for the end of valuesRule.
func normalizeValues(in stringValue) (string, string) {
	if !in.isString {
		return "", in.got
	}
	items := splitList(in.text)
	if items == nil {
		return "", "no numbers"
	}
	if len(items) > MaxValues {
		return "", strconv.Itoa(len(items)) + " numbers"
	}
	out := make([]byte, 0, len(in.text))
	for i, item := range items {
		x, ok := jsnum.ParseNumber([]byte(item))
		if !ok || x-x != 0 {
			return "", "a string whose item " + strconv.Itoa(i+1) + " is not a finite number"
		}
		if i > 0 {
			out = append(out, ',')
		}
		out = jsnum.Append(out, withoutNegativeZero(x))
	}
	return string(out), ""
}

// normalizeStates returns the names of a state kind's states joined by
// commas, or what is wrong with them for the end of statesRule.
func normalizeStates(in stringValue) (string, string) {
	if !in.isString {
		return "", in.got
	}
	names := splitList(in.text)
	if names == nil {
		return "", "no names"
	}
	if len(names) > MaxStates {
		return "", strconv.Itoa(len(names)) + " names"
	}
	for i, name := range names {
		if name == "" || strings.IndexFunc(name, notStateRune) >= 0 {
			return "", "a string whose name " + strconv.Itoa(i+1) + " is empty or has another character"
		}
	}
	return strings.Join(names, ","), ""
}

// splitList splits a comma-separated list and trims the spaces and tabs
// around each item; nil for a text of only spaces.
func splitList(text string) []string {
	if strings.Trim(text, " \t") == "" {
		return nil
	}
	items := strings.Split(text, ",")
	for i, item := range items {
		items[i] = strings.Trim(item, " \t")
	}
	return items
}

// notStateRune reports whether r may not appear in a state name.
func notStateRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
		return false
	}
	return true
}

// HasOutages reports whether q's series have outages.
func (q Query) HasOutages() bool {
	return q.OutagePeriod > 0
}

// ValueList returns the numbers of a csv shape's Values.
func (q Query) ValueList() []float64 {
	if q.Values == "" {
		return nil
	}
	items := strings.Split(q.Values, ",")
	out := make([]float64, len(items))
	for i, item := range items {
		x, ok := jsnum.ParseNumber([]byte(item))
		if !ok {
			panic("models: ValueList of a query whose values were not validated: " + q.Values)
		}
		out[i] = x
	}
	return out
}

// StateList returns the names of a state kind's States.
func (q Query) StateList() []string {
	if q.States == "" {
		return nil
	}
	return strings.Split(q.States, ",")
}
