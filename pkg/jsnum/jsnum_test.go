package jsnum

import (
	"encoding/json"
	"math"
	"testing"
)

// The expected texts were printed by Node's String(n).
func TestFormatMatchesJavaScript(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{1, "1"},
		{-1, "-1"},
		{0.1, "0.1"},
		{0.30000000000000004, "0.30000000000000004"}, // 0.1 + 0.2 at run time
		{1e21, "1e+21"},
		{1e-7, "1e-7"},
		{1.5e-7, "1.5e-7"},
		{123456789012345680000, "123456789012345680000"},
		{1e20, "100000000000000000000"},
		{9.999999999999999e20, "999999999999999900000"},
		{1e300, "1e+300"},
		{-1e308, "-1e+308"},
		{0.000001, "0.000001"},
		{-0.0000012345, "-0.0000012345"},
		{1.0 / 3, "0.3333333333333333"},
		{1000.0 / 3, "333.3333333333333"},
		{255.0 / 7, "36.42857142857143"},
		{9007199254740991, "9007199254740991"},
		{9007199254740992, "9007199254740992"},
		{5e-324, "5e-324"},
		{1.5e-323, "1.5e-323"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{123.456, "123.456"},
		{4.35, "4.35"},
		{100, "100"},
		{1.2345678901234567e-100, "1.2345678901234567e-100"},
		{-1.2345678901234567e+100, "-1.2345678901234567e+100"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "Infinity"},
		{math.Inf(-1), "-Infinity"},
	}
	for _, tt := range tests {
		if got := Format(tt.in); got != tt.want {
			t.Errorf("Format(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"raw number", json.RawMessage(`1e300`), "1e+300"},
		{"raw negative zero", json.RawMessage(`-0`), "0"},
		{"raw number past float64", json.RawMessage(`1e400`), "Infinity"},
		{"raw number with spaces", json.RawMessage(" 0.001\n"), "0.001"},
		{"raw null", json.RawMessage(`null`), "null"},
		{"raw string", json.RawMessage(`"1000"`), "a string"},
		{"raw true", json.RawMessage(`true`), "a boolean"},
		{"raw false", json.RawMessage(`false`), "a boolean"},
		{"raw array", json.RawMessage(`[1000]`), "an array"},
		{"raw object", json.RawMessage(`{"ms":1000}`), "an object"},
		{"raw bytes", []byte(`[]`), "an array"},
		{"empty", json.RawMessage(``), "invalid JSON"},
		{"broken", json.RawMessage(`{"a":`), "invalid JSON"},
		{"bare word", json.RawMessage(`Infinity`), "invalid JSON"},
		{"decoded number", 0.001, "0.001"},
		{"decoded json.Number", json.Number("1e21"), "1e+21"},
		{"decoded nil", nil, "null"},
		{"decoded string", "x", "a string"},
		{"decoded bool", true, "a boolean"},
		{"decoded array", []any{1.0}, "an array"},
		{"decoded object", map[string]any{}, "an object"},
		{"not a JSON value", struct{}{}, "an unsupported value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Describe(tt.in); got != tt.want {
				t.Errorf("Describe(%#v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in     string
		want   float64
		wantOK bool
	}{
		{"1000", 1000, true},
		{"-0", 0, true},
		{"1e400", math.Inf(1), true},
		{"-1e400", math.Inf(-1), true},
		{"1e-400", 0, true},
		{"9007199254740993", 9007199254740992, true},
		{"01", 0, false},
		{"+1", 0, false},
		{"1.", 0, false},
		{"NaN", 0, false},
		{"0x10", 0, false},
		{`"1"`, 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseNumber([]byte(tt.in))
		if ok != tt.wantOK || ok && got != tt.want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func FuzzFormatRoundTrips(f *testing.F) {
	for _, x := range []float64{0, 1, -1.5, 1e21, 1e-7, 5e-324, math.MaxFloat64} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		text := Format(x)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		back, ok := ParseNumber([]byte(text))
		if !ok || back != x {
			t.Fatalf("Format(%v) = %q reads back as %v, %v", x, text, back, ok)
		}
	})
}

func BenchmarkFormat(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 32)
	for b.Loop() {
		buf = Append(buf[:0], 333.3333333333333)
	}
}
