package models

// Shape names the curve a query's series follow. Its values are the JSON
// strings of the query's shape field and of the channel path's shape
// segment.
type Shape string

// The shapes of DEVELOPERS.md; the order of Shapes is the order of the
// validation message.
const (
	// ShapeRandom is uniform random values, independent from tick to tick.
	ShapeRandom Shape = "random"
	// ShapeWalk is a bounded random walk: small steps, wandering over the
	// range.
	ShapeWalk Shape = "walk"
	// ShapeSine is a sine wave over the period.
	ShapeSine Shape = "sine"
	// ShapeSquare is the upper limit for the first half of the period and
	// the lower limit for the second.
	ShapeSquare Shape = "square"
	// ShapeSawtooth rises from the lower to the upper limit over the period.
	ShapeSawtooth Shape = "sawtooth"
	// ShapeTriangle rises over the first half of the period and falls over
	// the second.
	ShapeTriangle Shape = "triangle"
	// ShapeCSV repeats the query's values exactly, one per tick, counted
	// on the epoch grid.
	ShapeCSV Shape = "csv"
)

// Shapes lists the generated shapes, in the order the validation message
// names them; ShapeCSV, whose values the query gives, comes after them.
var Shapes = [...]Shape{ShapeRandom, ShapeWalk, ShapeSine, ShapeSquare, ShapeSawtooth, ShapeTriangle}

// Valid reports whether s is one of Shapes or ShapeCSV.
func (s Shape) Valid() bool {
	if s == ShapeCSV {
		return true
	}
	for _, known := range Shapes {
		if s == known {
			return true
		}
	}
	return false
}

// Periodic reports whether s repeats after the query's period, which is
// then part of the stream's definition.
func (s Shape) Periodic() bool {
	switch s {
	case ShapeSine, ShapeSquare, ShapeSawtooth, ShapeTriangle:
		return true
	}
	return false
}

// caseHint is what the shape error adds for a string that names a shape in
// another case ("Sine"): that names are lower case, and the name meant.
// Only ASCII letters are folded, as in src/validation.ts, so that the two
// messages stay identical; any other string gets no hint.
func caseHint(v stringValue) string {
	if !v.isString {
		return ""
	}
	folded := []byte(v.text)
	for i, c := range folded {
		if 'A' <= c && c <= 'Z' {
			folded[i] = c + ('a' - 'A')
		}
	}
	if s := Shape(folded); s.Valid() && string(folded) != v.text {
		return `: names are lower case, so "` + v.text + `" should be "` + string(s) + `"`
	}
	return ""
}
