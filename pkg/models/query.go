package models

import (
	"encoding/json"
	"math"
	"slices"

	"github.com/tickstream/streaming/pkg/jsnum"
)

// Query is one stream definition: everything that shapes its series. Its
// JSON names are an interface shared with the frontend and saved
// dashboards. A Query returned without errors is normalized: no -0, and
// the default Period for a shape that is not periodic, so that two Queries
// describe the same stream exactly when they are equal.
type Query struct {
	// TickInterval is the time between points in ms; points lie on the grid
	// of its multiples since the Unix epoch.
	TickInterval int64 `json:"tickInterval"`
	// LowerLimit is the smallest value the series take.
	LowerLimit float64 `json:"lowerLimit"`
	// UpperLimit is the largest value the series take.
	UpperLimit float64 `json:"upperLimit"`
	// Seed selects the pseudo-random sequences; at most MaxSeed.
	Seed uint64 `json:"seed"`
	// Shape is the curve the series follow.
	Shape Shape `json:"shape"`
	// Period is the length of one cycle of a periodic shape, in ms, from 1
	// to MaxPeriod; DefaultPeriod for the other shapes.
	Period int64 `json:"period"`
	// Noise is the jitter added to each value, as a fraction of the range
	// from 0 to 1.
	Noise float64 `json:"noise"`
	// Series is how many independent series the query has, from 1 to the
	// data source's maxSeries.
	Series int64 `json:"series"`
	// Labels is the canonical labels template: key=value pairs sorted by
	// key and joined by ", ", values holding $seriesIndex; "" for none.
	Labels string `json:"labels"`
	// Alias is the display name template of each series; "" for none.
	Alias string `json:"alias"`
	// DropPercent is the chance, in percent, that a point is null: decided
	// by the seed, the series and the tick alone.
	DropPercent float64 `json:"dropPercent"`
	// OutagePeriod and OutageDuration, in ms, make a window of
	// OutageDuration at the start of every OutagePeriod (aligned to the
	// Unix epoch) without any point; both 0 for none.
	OutagePeriod   int64 `json:"outagePeriod"`
	OutageDuration int64 `json:"outageDuration"`
	// Values are the numbers of the csv shape, in canonical text joined by
	// commas; "" for the other shapes.
	Values string `json:"values"`
	// Kind is what the series carry: numbers, states or log lines.
	Kind SignalKind `json:"kind"`
	// States are the names of the state kind, joined by commas; "" for the
	// other kinds.
	States string `json:"states"`
}

// Fields is a query spelled out field by field before validation, such as
// a channel path holds: numbers that may be out of range or fractional and
// a shape name that may be unknown. Validate turns it into a Query.
type Fields struct {
	TickInterval, LowerLimit, UpperLimit, Seed float64
	Shape                                      string
	Period, Noise, Series                      float64
	Labels, Alias                              string
	DropPercent, OutagePeriod, OutageDuration  float64
	Values, Kind, States                       string
}

// DefaultFields returns the fields of DefaultQuery.
func DefaultFields() Fields {
	return DefaultQuery().Fields()
}

// Fields returns q spelled out field by field.
func (q Query) Fields() Fields {
	return Fields{
		TickInterval: float64(q.TickInterval),
		LowerLimit:   q.LowerLimit,
		UpperLimit:   q.UpperLimit,
		Seed:         float64(q.Seed),
		Shape:        string(q.Shape),
		Period:       float64(q.Period),
		Noise:        q.Noise,
		Series:       float64(q.Series),
		Labels:       q.Labels,
		Alias:        q.Alias,
		// The gaps fields (rules 20 to 28).
		DropPercent:    q.DropPercent,
		OutagePeriod:   float64(q.OutagePeriod),
		OutageDuration: float64(q.OutageDuration),
		Values:         q.Values,
		Kind:           string(q.Kind),
		States:         q.States,
	}
}

// Validate checks f under the settings s with the rules of DEVELOPERS.md,
// as ParseQuery does, and returns the normalized Query when there are no
// errors.
func (f Fields) Validate(s Settings) (Query, []FieldError) {
	q, _, errs := validateQuery(queryInputs{
		tick:   numberInput(f.TickInterval),
		lower:  numberInput(f.LowerLimit),
		upper:  numberInput(f.UpperLimit),
		seed:   numberInput(f.Seed),
		shape:  stringInput(f.Shape),
		period: numberInput(f.Period),
		noise:  numberInput(f.Noise),
		series: numberInput(f.Series),
		labels: stringInput(f.Labels),
		alias:  stringInput(f.Alias),
		gaps: gapsInputs{
			drop:           numberInput(f.DropPercent),
			outagePeriod:   numberInput(f.OutagePeriod),
			outageDuration: numberInput(f.OutageDuration),
			values:         stringInput(f.Values),
			kind:           stringInput(f.Kind),
			states:         stringInput(f.States),
		},
		faults:   defaultFaultsInputs(), // not part of a stream
		overlays: defaultOverlayInputs(),
	}, s, nil)
	return q, errs
}

// ParseQuery reads a query's JSON field by field and validates it under the
// data source's settings s: absent fields take their default, a present
// field must be a JSON number (shape: a JSON string; null is an error, not
// a default), unknown fields are ignored, -0 is read as 0 and empty raw
// (nothing sent) counts as {}. The errors come in the order of
// DEVELOPERS.md; the Query is meaningful only when there are none. The
// frontend's variableRefs field (query field → the dashboard variables
// its text held before interpolation) is not part of the stream: it only
// makes each error of such a field say which variables produced it.
func ParseQuery(raw json.RawMessage, s Settings) (Query, []FieldError) {
	q, _, errs := ParseQueryFaults(raw, s)
	return q, errs
}

// ParseQueryFaults is ParseQuery that also returns the query's Faults
// (rules 30 to 34), which QueryData acts on and a stream ignores.
func ParseQueryFaults(raw json.RawMessage, s Settings) (Query, Faults, []FieldError) {
	return parseQuery(raw, s, nil)
}

// ParseQueryOverlays is ParseQueryFaults for the handlers that also draw
// the query's overlays (annotations, exemplars, rules 40 to 44): it
// returns them too, meaningful when there are no errors.
func ParseQueryOverlays(raw json.RawMessage, s Settings) (Query, Faults, Overlays, []FieldError) {
	var o Overlays
	q, f, errs := parseQuery(raw, s, &o)
	return q, f, o, errs
}

// parseQuery is ParseQueryFaults, storing the overlay fields in o unless
// nil.
func parseQuery(raw json.RawMessage, s Settings, o *Overlays) (Query, Faults, []FieldError) {
	fields, got, ok := readObject(raw, false)
	if !ok {
		return Query{}, Faults{}, []FieldError{{
			Field:   "query",
			Kind:    KindInvalid,
			Message: "the query must be a JSON object; got " + got,
		}}
	}
	q, f, errs := validateQuery(queryInputs{
		tick:   readField(fields, "tickInterval", DefaultTickInterval),
		lower:  readField(fields, "lowerLimit", DefaultLowerLimit),
		upper:  readField(fields, "upperLimit", DefaultUpperLimit),
		seed:   readField(fields, "seed", DefaultSeed),
		shape:  readStringField(fields, "shape", string(DefaultShape)),
		period: readField(fields, "period", DefaultPeriod),
		noise:  readField(fields, "noise", DefaultNoise),
		series: readField(fields, "series", DefaultSeries),
		labels: readStringField(fields, "labels", ""),
		alias:  readStringField(fields, "alias", ""),
		gaps: gapsInputs{
			drop:           readField(fields, "dropPercent", DefaultDropPercent),
			outagePeriod:   readField(fields, "outagePeriod", DefaultOutagePeriod),
			outageDuration: readField(fields, "outageDuration", DefaultOutageDuration),
			values:         readStringField(fields, "values", DefaultValues),
			kind:           readStringField(fields, "kind", string(DefaultKind)),
			states:         readStringField(fields, "states", DefaultStates),
		},
		faults:   readFaults(fields),
		overlays: readOverlays(fields),
	}, s, o)
	return q, f, withVariableSuffixes(errs, readVariableRefs(fields))
}

// Check returns the problems of q under the settings s, for a query that
// was built or parsed without them (a channel path is checked under
// WidestSettings, then against the data source's own settings here).
func (q Query) Check(s Settings) []FieldError {
	_, errs := q.Fields().Validate(s)
	return errs
}

// PointsPerSecond is how many points q's stream produces per second, all
// series together; maxPointsPerSecond bounds it.
func (q Query) PointsPerSecond() float64 {
	return pointsPerSecond(float64(q.Series), float64(q.TickInterval))
}

// pointsPerSecond is series × 1000 / tick, evaluated left to right as the
// frontend's JavaScript does, so that both print the same digits.
func pointsPerSecond(series, tick float64) float64 {
	return series * 1000 / tick
}

// queryInputs are a query's fields as received.
type queryInputs struct {
	tick, lower, upper, seed input
	shape                    stringValue
	period, noise, series    input
	labels, alias            stringValue
	gaps                     gapsInputs
	faults                   faultsInputs
	overlays                 overlayInputs
}

// aliasLogsMessage is rule 29's message: alias with kind logs.
const aliasLogsMessage = "alias names the series' value fields, and kind logs has none (a log line shows its series in labels): remove alias or choose kind number or state; got a string with kind logs"

// validateQuery applies the rules of DEVELOPERS.md in their order, and
// stores the overlay fields in o unless nil.
func validateQuery(in queryInputs, s Settings, o *Overlays) (Query, Faults, []FieldError) {
	var errs []FieldError
	add := func(field string, kind Kind, message string) {
		errs = append(errs, FieldError{Field: field, Kind: kind, Message: message})
	}

	// Rule 1; rule 12 (points per second) comes last, below.
	tick := in.tick
	tickMessage := "tickInterval must be a whole number of milliseconds from " + jsnum.Format(float64(s.MinTickInterval)) +
		" (the data source's minTickInterval) to 86400000 (24 h); got " + tick.got
	tickOK := false
	switch {
	case !tick.isWholeIn(1, MaxTickInterval):
		add("tickInterval", KindInvalid, tickMessage)
	case tick.number < float64(s.MinTickInterval):
		add("tickInterval", KindLimit, tickMessage)
	default:
		tickOK = true
	}

	// Rules 3 to 6.
	lower, upper := in.lower, in.upper
	if !lower.isFinite() {
		add("lowerLimit", KindInvalid, "lowerLimit must be a finite number; got "+lower.got)
	}
	if !upper.isFinite() {
		add("upperLimit", KindInvalid, "upperLimit must be a finite number; got "+upper.got)
	}
	if lower.isFinite() && upper.isFinite() {
		if lower.number > upper.number {
			add("lowerLimit", KindInvalid, "lowerLimit must not be greater than upperLimit; got lowerLimit "+
				lower.got+" and upperLimit "+upper.got)
		}
		if math.IsInf(upper.number-lower.number, 0) {
			add("upperLimit", KindInvalid, "upperLimit - lowerLimit must be a finite number; got upperLimit "+
				upper.got+" and lowerLimit "+lower.got+": narrow the limits")
		}
	}

	// Rule 7.
	if !in.seed.isWholeIn(0, MaxSeed) {
		add("seed", KindInvalid, "seed must be a whole number from 0 to 9007199254740991; got "+in.seed.got)
	}

	// Rules 8 and 9: the period matters only to a periodic shape, so any
	// other shape, an unknown one included, ignores it.
	shape := Shape(in.shape.text)
	if !in.shape.isString || !shape.Valid() {
		add("shape", KindInvalid, "shape must be one of random, walk, sine, square, sawtooth, triangle, csv; got "+in.shape.got+caseHint(in.shape))
		shape = DefaultShape
	}
	period := int64(DefaultPeriod)
	if shape.Periodic() {
		if in.period.isWholeIn(1, MaxPeriod) {
			period = int64(in.period.number)
		} else {
			add("period", KindInvalid, "period must be a whole number of milliseconds from 1 to 31536000000 (365 days); got "+in.period.got)
		}
	}

	// Rule 10.
	if !in.noise.isNumber || !(in.noise.number >= 0 && in.noise.number <= 1) {
		add("noise", KindInvalid, "noise must be a number from 0 to 1; got "+in.noise.got)
	}

	// Rule 11.
	series := in.series
	seriesMessage := "series must be a whole number from 1 to " + jsnum.Format(float64(s.MaxSeries)) +
		" (the data source's maxSeries); got " + series.got
	seriesOK := false
	switch {
	case !series.isWholeIn(1, MaxMaxSeries):
		add("series", KindInvalid, seriesMessage)
	case series.number > float64(s.MaxSeries):
		add("series", KindLimit, seriesMessage)
	default:
		seriesOK = true
	}

	// Rules 13 to 19.
	labels, alias := labelRules(in.labels, in.alias, int64(series.number), seriesOK, add)
	// Rules 20 to 28.
	g := validateGaps(in.gaps, shape, in.shape.isString && Shape(in.shape.text).Valid(), lower, upper, add)
	// Rule 29: alias names value fields, and a log frame has none, so an
	// alias there would be silently dropped.
	if g.kind == SignalLogs && alias != "" && !slices.ContainsFunc(errs, func(e FieldError) bool { return e.Field == "alias" }) {
		add("alias", KindInvalid, aliasLogsMessage)
	}
	// Rules 30 to 34 (faults.go).
	faults := validateFaults(in.faults, add)
	// Rules 40 to 44 (overlays.go): not part of the stream.
	overlays := validateOverlays(in.overlays, g.kind, in.gaps.kind.isString && g.kind == SignalKind(in.gaps.kind.text), add)
	if o != nil {
		*o = overlays
	}

	// Rule 12, always last.
	if tickOK && seriesOK {
		if rate := pointsPerSecond(series.number, tick.number); rate > float64(s.MaxPointsPerSecond) {
			maxRate := float64(s.MaxPointsPerSecond)
			add("tickInterval", KindLimit, "tickInterval "+tick.got+" ms with "+series.got+" series makes "+jsnum.Format(rate)+
				" points per second, more than the data source's maxPointsPerSecond of "+jsnum.Format(maxRate)+
				"; use a tickInterval of at least "+jsnum.Format(math.Ceil(series.number*1000/maxRate))+
				" ms, fewer series, or raise maxPointsPerSecond")
		}
	}

	if len(errs) > 0 {
		return Query{}, Faults{}, errs
	}
	return Query{
		TickInterval: int64(tick.number),
		LowerLimit:   withoutNegativeZero(lower.number),
		UpperLimit:   withoutNegativeZero(upper.number),
		Seed:         uint64(in.seed.number),
		Shape:        shape,
		Period:       period,
		Noise:        withoutNegativeZero(in.noise.number),
		Series:       int64(series.number),
		Labels:       labels,
		Alias:        alias,
		// The gaps fields (rules 20 to 28).
		DropPercent:    g.drop,
		OutagePeriod:   g.outagePeriod,
		OutageDuration: g.outageDuration,
		Values:         g.values,
		Kind:           g.kind,
		States:         g.states,
	}, faults, nil
}
