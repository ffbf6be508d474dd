// Package jsnum prints numbers and describes JSON values exactly as the
// frontend does, so that a validation message reads the same whether the
// query editor or the backend produced it.
package jsnum

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
)

// Format returns x as JavaScript's String(x) prints it: the shortest digits
// that read back as x, in fixed notation for 1e-7 <= |x| < 1e21 and as
// d.ddde±n otherwise; -0 prints as "0", and NaN and ±Inf as "NaN" and
// "±Infinity".
func Format(x float64) string {
	return string(Append(nil, x))
}

// Append appends Format(x) to dst and returns the extended buffer, for
// callers that build a longer text without an allocation per number.
func Append(dst []byte, x float64) []byte {
	switch {
	case math.IsNaN(x):
		return append(dst, "NaN"...)
	case math.IsInf(x, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(x, -1):
		return append(dst, "-Infinity"...)
	case x == 0:
		return append(dst, '0')
	}
	if x < 0 {
		dst = append(dst, '-')
		x = -x
	}
	// The shortest round-tripping digits in d.ddde±n form; Go and
	// ECMAScript (Number::toString, step 5) choose the same digits.
	var scratch [32]byte
	e := strconv.AppendFloat(scratch[:0], x, 'e', -1, 64)
	mark := bytes.IndexByte(e, 'e')
	exp := exponent(e[mark+1:])
	digits := make([]byte, 0, 17)
	digits = append(digits, e[0])
	if mark > 1 {
		digits = append(digits, e[2:mark]...)
	}
	k := len(digits)
	n := exp + 1 // the decimal point sits after n digits
	switch {
	case k <= n && n <= 21:
		dst = append(dst, digits...)
		for range n - k {
			dst = append(dst, '0')
		}
	case 0 < n && n <= 21:
		dst = append(dst, digits[:n]...)
		dst = append(dst, '.')
		dst = append(dst, digits[n:]...)
	case -6 < n && n <= 0:
		dst = append(dst, '0', '.')
		for range -n {
			dst = append(dst, '0')
		}
		dst = append(dst, digits...)
	default:
		dst = append(dst, digits[0])
		if k > 1 {
			dst = append(dst, '.')
			dst = append(dst, digits[1:]...)
		}
		dst = append(dst, 'e')
		if exp >= 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, int64(exp), 10)
	}
	return dst
}

// Describe says what a received value was, for the "got {got}" part of a
// validation message: a number as Format prints it, else "null",
// "a string", "a boolean", "an array" or "an object". v is either raw JSON
// (json.RawMessage or []byte, as the backend receives it) or a value
// encoding/json decoded into an interface. Bytes that are not JSON are
// "invalid JSON", a case only the backend can meet.
func Describe(v any) string {
	switch v := v.(type) {
	case json.RawMessage:
		return describeRaw(v)
	case []byte:
		return describeRaw(v)
	case nil:
		return "null"
	case float64:
		return Format(v)
	case json.Number:
		return describeRaw(json.RawMessage(v))
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "an unsupported value"
}

func describeRaw(raw []byte) string {
	raw = TrimSpace(raw)
	if len(raw) == 0 || !json.Valid(raw) {
		return "invalid JSON"
	}
	switch raw[0] {
	case 'n':
		return "null"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case '[':
		return "an array"
	case '{':
		return "an object"
	}
	x, ok := ParseNumber(raw)
	if !ok {
		return "invalid JSON"
	}
	return Format(x)
}

// ParseNumber reads a JSON number as JavaScript's JSON.parse does: the
// nearest float64, ±Inf past the largest one (where encoding/json would
// fail), and ok false for anything that is not a JSON number.
func ParseNumber(raw []byte) (x float64, ok bool) {
	raw = TrimSpace(raw)
	if len(raw) == 0 || !(raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') || !json.Valid(raw) {
		return 0, false
	}
	x, err := strconv.ParseFloat(string(raw), 64)
	if err != nil && !isRangeError(err) {
		return 0, false
	}
	return x, true
}

// TrimSpace removes JSON's whitespace (space, tab, line feed, carriage
// return) from both ends of raw. bytes.TrimSpace would also remove form
// feeds, vertical tabs and Unicode spaces, which JSON.parse refuses, so
// that "\f0" would read as the number 0 (found by FuzzParseNumber).
func TrimSpace(raw []byte) []byte {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	for len(raw) > 0 && isSpace(raw[0]) {
		raw = raw[1:]
	}
	for len(raw) > 0 && isSpace(raw[len(raw)-1]) {
		raw = raw[:len(raw)-1]
	}
	return raw
}

// isRangeError is true for strconv's "value out of range", which still
// returns the ±Inf that JavaScript would produce.
func isRangeError(err error) bool {
	return errors.Is(err, strconv.ErrRange)
}

// exponent reads the "+12" or "-7" that strconv writes after the 'e'.
func exponent(text []byte) int {
	n := 0
	for _, c := range text[1:] {
		n = n*10 + int(c-'0')
	}
	if text[0] == '-' {
		return -n
	}
	return n
}
