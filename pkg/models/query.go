package models

import (
	"encoding/json"
	"math"

	"github.com/tickstream/streaming/pkg/jsnum"
)

// Query is one stream definition: everything that shapes a series. Its JSON
// names are an interface shared with the frontend and saved dashboards.
type Query struct {
	// TickInterval is the time between points in ms; points lie on the grid
	// of its multiples since the Unix epoch.
	TickInterval int64 `json:"tickInterval"`
	// LowerLimit is the smallest value the series takes.
	LowerLimit float64 `json:"lowerLimit"`
	// UpperLimit is the largest value the series takes.
	UpperLimit float64 `json:"upperLimit"`
	// Seed selects the pseudo-random sequence; at most MaxSeed.
	Seed uint64 `json:"seed"`
}

// ParseQuery reads a query's JSON field by field and validates it under the
// data source's settings s: absent fields take their default, a present
// field must be a JSON number (null is an error, not a default), unknown
// fields are ignored, -0 is read as 0 and empty raw (nothing sent) counts
// as {}. The errors come in the order of
// DEVELOPERS.md; the Query is meaningful only when there are none.
func ParseQuery(raw json.RawMessage, s Settings) (Query, []FieldError) {
	fields, got, ok := readObject(raw, false)
	if !ok {
		return Query{}, []FieldError{{
			Field:   "query",
			Kind:    KindInvalid,
			Message: "the query must be a JSON object; got " + got,
		}}
	}
	return validateQuery(
		readField(fields, "tickInterval", DefaultTickInterval),
		readField(fields, "lowerLimit", DefaultLowerLimit),
		readField(fields, "upperLimit", DefaultUpperLimit),
		readField(fields, "seed", DefaultSeed),
		s,
	)
}

// FromNumbers validates a query given as four numbers, such as the ones a
// channel path spells out, under the settings s; see ParseQuery.
func FromNumbers(tickInterval, lowerLimit, upperLimit, seed float64, s Settings) (Query, []FieldError) {
	return validateQuery(numberInput(tickInterval), numberInput(lowerLimit), numberInput(upperLimit), numberInput(seed), s)
}

// Check returns the problems of q under the settings s, for a query that
// was built or parsed without them (a channel path is checked under
// WidestSettings, then against the data source's own settings here).
func (q Query) Check(s Settings) []FieldError {
	_, errs := FromNumbers(float64(q.TickInterval), q.LowerLimit, q.UpperLimit, float64(q.Seed), s)
	return errs
}

// validateQuery applies the rules of DEVELOPERS.md in their order.
func validateQuery(tick, lower, upper, seed input, s Settings) (Query, []FieldError) {
	var errs []FieldError
	tickMessage := "tickInterval must be a whole number of milliseconds from " + jsnum.Format(float64(s.MinTickInterval)) +
		" (the data source's minTickInterval) to 86400000 (24 h); got " + tick.got
	switch {
	case !tick.isWholeIn(1, MaxTickInterval):
		errs = append(errs, FieldError{Field: "tickInterval", Kind: KindInvalid, Message: tickMessage})
	case tick.number < float64(s.MinTickInterval):
		errs = append(errs, FieldError{Field: "tickInterval", Kind: KindLimit, Message: tickMessage})
	case 1000/tick.number > float64(s.MaxPointsPerSecond):
		maxRate := float64(s.MaxPointsPerSecond)
		errs = append(errs, FieldError{Field: "tickInterval", Kind: KindLimit, Message: "tickInterval " + tick.got +
			" ms makes " + jsnum.Format(1000/tick.number) + " points per second, more than the data source's maxPointsPerSecond of " +
			jsnum.Format(maxRate) + "; use a tickInterval of at least " + jsnum.Format(math.Ceil(1000/maxRate)) +
			" ms or raise maxPointsPerSecond"})
	}

	if !lower.isFinite() {
		errs = append(errs, FieldError{Field: "lowerLimit", Kind: KindInvalid, Message: "lowerLimit must be a finite number; got " + lower.got})
	}
	if !upper.isFinite() {
		errs = append(errs, FieldError{Field: "upperLimit", Kind: KindInvalid, Message: "upperLimit must be a finite number; got " + upper.got})
	}
	if lower.isFinite() && upper.isFinite() {
		if lower.number > upper.number {
			errs = append(errs, FieldError{Field: "lowerLimit", Kind: KindInvalid, Message: "lowerLimit must not be greater than upperLimit; got lowerLimit " +
				lower.got + " and upperLimit " + upper.got})
		}
		if math.IsInf(upper.number-lower.number, 0) {
			errs = append(errs, FieldError{Field: "upperLimit", Kind: KindInvalid, Message: "upperLimit - lowerLimit must be a finite number; got upperLimit " +
				upper.got + " and lowerLimit " + lower.got + ": narrow the limits"})
		}
	}

	if !seed.isWholeIn(0, MaxSeed) {
		errs = append(errs, FieldError{Field: "seed", Kind: KindInvalid, Message: "seed must be a whole number from 0 to 9007199254740991; got " + seed.got})
	}
	if len(errs) > 0 {
		return Query{}, errs
	}
	return Query{
		TickInterval: int64(tick.number),
		LowerLimit:   withoutNegativeZero(lower.number),
		UpperLimit:   withoutNegativeZero(upper.number),
		Seed:         uint64(seed.number),
	}, nil
}
