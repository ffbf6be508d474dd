package jsnum

import (
	"encoding/json"
	"math"
	"strconv"
	"testing"
)

// FuzzParseNumber checks the reader every query and setting number goes
// through: no input panics, a number it accepts is valid JSON and reads as
// strconv reads it (±Inf past the largest float64, like JSON.parse), and
// Describe always says something for the "got {got}" part of a message.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{
		// Real numbers from queries and settings.
		"0", "1000", "-5", "0.5", "1e21", "1e-7", "9007199254740991", "9007199254740993", "-0", "5e-324",
		"1.7976931348623157e308",
		// Hostile: overflow, huge mantissas, non-JSON spellings, whitespace.
		"1e999", "-1e999", "1e-999", "123456789012345678901234567890e-30", "NaN", "Infinity", "-Infinity",
		"+1", "01", ".5", "1.", "1e", "0x10", "1_000", " 1 ", "\t-0\n", "", "-", "--1", "1e+", "\xff", "1\x00",
		`"1"`, "null", "true", "[1]", `{"a":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		x, ok := ParseNumber(raw)
		if d := Describe(json.RawMessage(raw)); d == "" {
			t.Fatalf("Describe(%q) is empty", raw)
		}
		if !ok {
			return
		}
		if math.IsNaN(x) {
			t.Fatalf("ParseNumber(%q) = NaN", raw)
		}
		if !json.Valid(raw) {
			t.Fatalf("ParseNumber accepted %q, which is not JSON", raw)
		}
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			t.Fatalf("ParseNumber accepted %q, which is not a JSON number: %v", raw, err)
		}
		want, err := strconv.ParseFloat(string(n), 64)
		if err != nil && !math.IsInf(want, 0) {
			t.Fatalf("strconv cannot read %q (%v) but ParseNumber gave %v", raw, err, x)
		}
		if math.Float64bits(want) != math.Float64bits(x) {
			t.Fatalf("ParseNumber(%q) = %v, strconv reads %v", raw, x, want)
		}
		// What a message prints reads back as the same number.
		if !math.IsInf(x, 0) {
			back, ok := ParseNumber([]byte(Format(x)))
			if !ok || back != x {
				t.Fatalf("Format(ParseNumber(%q)) = %q reads back as %v, %v", raw, Format(x), back, ok)
			}
		}
	})
}
