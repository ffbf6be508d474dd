// Package wire writes stream messages by hand: the data-only JSON of a
// frame with a time field and float64 value fields (AppendFrame), or of
// any columns of numbers, nullable numbers, strings, nullable strings and
// JSON (AppendTable, for nulls, states and log lines), byte for byte what
// the plugin SDK's data.FrameToJSON(frame, data.IncludeDataOnly) writes for
// it (wire_test.go and table_test.go compare the two), appended to a buffer
// the caller reuses.
//
// The SDK's way costs a data.Frame, a []time.Time and a []float64 per field
// and message, boxes every value into an interface to encode it, and copies
// the result: about twenty allocations for a one-point message and most of
// a stream's CPU. Here a message costs no allocation once the buffer has
// grown to the stream's message size.
package wire

import (
	"math"
	"strconv"
)

// ValueFunc returns the value of series s (1 to the frame's series) at
// tick k. It must be finite: JSON has no NaN or ±Inf, and the SDK moves
// such values into an "entities" member that this package does not write.
type ValueFunc func(s, k int64) float64

// AppendFrame appends the data-only JSON of the frame holding the count
// ticks first, first+1, … of a grid of tick ms (their times k × tick in Unix
// ms in the "time" field) and the values of series 1 … series in the
// following fields:
//
//	{"data":{"values":[[t…],[v1…],…,[vN…]]}}
func AppendFrame(dst []byte, first, count, tick, series int64, value ValueFunc) []byte {
	dst = append(dst, `{"data":{"values":[[`...)
	for i := range count {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendInt(dst, (first+i)*tick, 10)
	}
	for s := int64(1); s <= series; s++ {
		dst = append(dst, "],["...)
		for i := range count {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendFloat(dst, value(s, first+i))
		}
	}
	return append(dst, "]]}}"...)
}

// AppendFloat appends the finite v as json-iterator (the SDK's encoder)
// writes a float64: the shortest decimal that reads back as v, in plain
// notation, and in exponent notation (e-7, e+21) when |v| < 1e-6 or
// |v| ≥ 1e21. That differs from encoding/json, which writes e-07.
func AppendFloat(dst []byte, v float64) []byte {
	format := byte('f')
	if abs := math.Abs(v); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	return strconv.AppendFloat(dst, v, format, -1, 64)
}
