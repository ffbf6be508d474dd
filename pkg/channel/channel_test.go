package channel

import (
	"math"
	"strings"
	"testing"

	"github.com/tickstream/streaming/internal/vectors"
	"github.com/tickstream/streaming/pkg/models"
)

func TestVectorPathsRoundTrip(t *testing.T) {
	f, err := vectors.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range f.Queries {
		if c.Valid == nil {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			if got := Format(*c.Valid); got != c.Path {
				t.Errorf("Format(%+v) = %q, want %q", *c.Valid, got, c.Path)
			}
			q, err := Parse(c.Path)
			if err != nil {
				t.Fatalf("Parse(%q): %v", c.Path, err)
			}
			if q != *c.Valid {
				t.Errorf("Parse(%q) = %+v, want %+v", c.Path, q, *c.Valid)
			}
		})
	}
}

func TestParseAcceptsLimitsOnlyTheSettingsRefuse(t *testing.T) {
	q, err := Parse("v1/t=1/lo=0/hi=100/seed=0")
	if err != nil {
		t.Fatal(err)
	}
	if errs := q.Check(models.DefaultSettings()); !models.HasKind(errs, models.KindLimit) {
		t.Errorf("Check under the defaults = %v, want a limit error", errs)
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name, path, wantInError string
	}{
		{"empty", "", "empty"},
		{"10 KB", "v1/t=1000/lo=0/hi=100/seed=0" + strings.Repeat("0", 10_000), "characters long"},
		{"negative zero", "v1/t=1000/lo=-0/hi=100/seed=0", "not canonical"},
		{"trailing fraction zero", "v1/t=1000/lo=1.0/hi=100/seed=0", "not canonical"},
		{"leading zero", "v1/t=01000/lo=0/hi=100/seed=0", "not a number"},
		{"leading zero in seed", "v1/t=1000/lo=0/hi=100/seed=01", "not a number"},
		{"exponent plus sign", "v1/t=1000/lo=0/hi=1e+21/seed=0", `contains '+'`},
		{"exponent where fixed notation belongs", "v1/t=1e3/lo=0/hi=100/seed=0", "not canonical"},
		{"fixed notation where an exponent belongs", "v1/t=1000/lo=0/hi=1000000000000000000000/seed=0", "not canonical"},
		{"capital exponent", "v1/t=1000/lo=0/hi=1E21/seed=0", "not canonical"},
		{"missing key", "v1/t=1000/lo=0/hi=100", "segments"},
		{"extra key", "v1/t=1000/lo=0/hi=100/seed=0/x=1", "unknown segment"},
		{"trailing slash", "v1/t=1000/lo=0/hi=100/seed=0/", "unknown segment"},
		{"too many segments", "v1/t=1000/lo=0/hi=100/seed=0/shape=sine/period=5/noise=1/series=2/labels=YT0kc2VyaWVzSW5kZXg/alias=YQ/drop=1/outage=2_1/values=1/kind=state/states=A/x=1", "segments"},
		// The optional segments.
		{"default shape", "v1/t=1000/lo=0/hi=100/seed=0/shape=random", "not canonical"},
		{"default period", "v1/t=1000/lo=0/hi=100/seed=0/shape=sine/period=60000", "not canonical"},
		{"default noise", "v1/t=1000/lo=0/hi=100/seed=0/noise=0", "not canonical"},
		{"default series", "v1/t=1000/lo=0/hi=100/seed=0/series=1", "not canonical"},
		{"period without a shape", "v1/t=1000/lo=0/hi=100/seed=0/period=5000", "not canonical"},
		{"period of a random shape", "v1/t=1000/lo=0/hi=100/seed=0/shape=random/period=5000", "not canonical"},
		{"period of a walk", "v1/t=1000/lo=0/hi=100/seed=0/shape=walk/period=5000", "not canonical"},
		{"unknown shape", "v1/t=1000/lo=0/hi=100/seed=0/shape=sin", "valid stream"},
		{"capitalized shape", "v1/t=1000/lo=0/hi=100/seed=0/shape=Sine", "valid stream"},
		{"empty shape", "v1/t=1000/lo=0/hi=100/seed=0/shape=", "valid stream"},
		{"shape without =", "v1/t=1000/lo=0/hi=100/seed=0/shape", "valid stream"},
		{"period before shape", "v1/t=1000/lo=0/hi=100/seed=0/period=5000/shape=sine", "out of order"},
		{"series before noise", "v1/t=1000/lo=0/hi=100/seed=0/series=2/noise=0.5", "out of order"},
		{"optional segment twice", "v1/t=1000/lo=0/hi=100/seed=0/series=2/series=3", "out of order or twice"},
		{"optional segment among the required", "v1/t=1000/lo=0/hi=100/shape=sine/seed=0", "where seed=<number> belongs"},
		{"period of 0", "v1/t=1000/lo=0/hi=100/seed=0/shape=sine/period=0", "valid stream"},
		{"fractional period", "v1/t=1000/lo=0/hi=100/seed=0/shape=sine/period=1.5", "valid stream"},
		{"period over a year", "v1/t=1000/lo=0/hi=100/seed=0/shape=sine/period=31536000001", "valid stream"},
		{"period with a leading zero", "v1/t=1000/lo=0/hi=100/seed=0/shape=sine/period=05000", "not a number"},
		{"period with an exponent", "v1/t=1000/lo=0/hi=100/seed=0/shape=sine/period=5e3", "not canonical"},
		{"negative noise", "v1/t=1000/lo=0/hi=100/seed=0/noise=-0.5", "valid stream"},
		{"noise above 1", "v1/t=1000/lo=0/hi=100/seed=0/noise=1.5", "valid stream"},
		{"negative zero noise", "v1/t=1000/lo=0/hi=100/seed=0/noise=-0", "not canonical"},
		{"noise with a trailing zero", "v1/t=1000/lo=0/hi=100/seed=0/noise=0.50", "not canonical"},
		{"noise without its leading zero", "v1/t=1000/lo=0/hi=100/seed=0/noise=.5", "not a number"},
		{"empty noise", "v1/t=1000/lo=0/hi=100/seed=0/noise=", "not a number"},
		{"no series", "v1/t=1000/lo=0/hi=100/seed=0/series=0", "valid stream"},
		{"fractional series", "v1/t=1000/lo=0/hi=100/seed=0/series=2.5", "valid stream"},
		{"more series than any data source allows", "v1/t=1000/lo=0/hi=100/seed=0/series=10001", "valid stream"},
		{"reordered keys", "v1/t=1000/hi=100/lo=0/seed=0", "where lo=<number> belongs"},
		{"renamed key", "v1/tick=1000/lo=0/hi=100/seed=0", "where t=<number> belongs"},
		{"empty number", "v1/t=/lo=0/hi=100/seed=0", "not a number"},
		{"version 2", "v2/t=1000/lo=0/hi=100/seed=0", `version "v2"`},
		{"no version", "t=1000/lo=0/hi=100/seed=0", "version"},
		{"space", "v1/t=1000/lo=0/hi=100/seed= 0", "contains ' '"},
		{"percent", "v1/t=1000/lo=0/hi=100%/seed=0", "contains '%'"},
		{"non-ASCII", "v1/t=1000/lo=0/hi=100/seed=٣", "contains '٣'"},
		{"NaN", "v1/t=1000/lo=NaN/hi=100/seed=0", "not a number"},
		{"Infinity", "v1/t=1000/lo=0/hi=Infinity/seed=0", "not a number"},
		{"overflowing number", "v1/t=1000/lo=0/hi=1e400/seed=0", "finite"},
		{"hexadecimal", "v1/t=0x3e8/lo=0/hi=100/seed=0", "not a number"},
		{"tick of 0", "v1/t=0/lo=0/hi=100/seed=0", "valid stream"},
		{"fractional tick", "v1/t=1.5/lo=0/hi=100/seed=0", "valid stream"},
		{"tick over 24 h", "v1/t=86400001/lo=0/hi=100/seed=0", "valid stream"},
		{"limits reversed", "v1/t=1000/lo=5/hi=1/seed=0", "valid stream"},
		{"span overflows", "v1/t=1000/lo=-1e308/hi=1e308/seed=0", "valid stream"},
		{"negative seed", "v1/t=1000/lo=0/hi=100/seed=-1", "valid stream"},
		{"seed past 2^53", "v1/t=1000/lo=0/hi=100/seed=9007199254740992", "valid stream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.path)
			if err == nil {
				t.Fatalf("Parse accepted %q as %+v", tt.path, q)
			}
			if !strings.Contains(err.Error(), tt.wantInError) {
				t.Errorf("error %q does not mention %q", err, tt.wantInError)
			}
		})
	}
}

func TestFormatDropsOnlyTheExponentPlus(t *testing.T) {
	q := func(tick int64, lower, upper float64, seed uint64) models.Query {
		q := models.DefaultQuery()
		q.TickInterval, q.LowerLimit, q.UpperLimit, q.Seed = tick, lower, upper, seed
		return q
	}
	noisy := q(10, 0, 1, 0)
	noisy.Noise = 1e-7
	tests := []struct {
		q    models.Query
		want string
	}{
		{q(10, -1.5e300, 1.5e300, 1), "v1/t=10/lo=-1.5e300/hi=1.5e300/seed=1"},
		{q(10, -1.5e-300, 5e-324, 1), "v1/t=10/lo=-1.5e-300/hi=5e-324/seed=1"},
		{q(10, math.Copysign(0, -1), 0.5, 0), "v1/t=10/lo=0/hi=0.5/seed=0"},
		{noisy, "v1/t=10/lo=0/hi=1/seed=0/noise=1e-7"},
	}
	for _, tt := range tests {
		if got := Format(tt.q); got != tt.want {
			t.Errorf("Format(%+v) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, path := range []string{
		"v1/t=1000/lo=0/hi=100/seed=0", "v1/t=1/lo=-1e21/hi=1e21/seed=9007199254740991",
		"v1/t=1000/lo=1e-7/hi=0.000001/seed=0", "v1/t=1000/lo=-0/hi=100/seed=0", "v1/t=1000/lo=1.0/hi=2/seed=0",
		"v1/t=1e3/lo=0/hi=100/seed=0", "v2/t=1000/lo=0/hi=100/seed=0", "v1/t=1000/hi=100/lo=0/seed=0", "", "/", "v1",
		"v1/t=10/lo=-1/hi=1/seed=3/shape=sine/period=5000/series=4", "v1/t=1000/lo=0/hi=100/seed=0/shape=walk/noise=0.25",
		"v1/t=1000/lo=0/hi=100/seed=0/shape=random", "v1/t=1000/lo=0/hi=100/seed=0/period=5000",
		"v1/t=1000/lo=0/hi=100/seed=0/series=2/noise=0.5", "v1/t=1000/lo=0/hi=100/seed=0/shape=triangle/period=31536000000/noise=1/series=10000",
	} {
		f.Add(path)
	}
	f.Fuzz(func(t *testing.T, path string) {
		q, err := Parse(path)
		if err != nil {
			return
		}
		if back := Format(q); back != path {
			t.Fatalf("Parse(%q) = %+v, which formats as %q", path, q, back)
		}
		if errs := q.Check(models.WidestSettings()); errs != nil {
			t.Fatalf("Parse(%q) = %+v, invalid: %v", path, q, errs)
		}
	})
}

// FuzzFormat checks parse(format(q)) == q for every valid, normalized
// query.
func FuzzFormat(f *testing.F) {
	f.Add(int64(1000), 0.0, 100.0, uint64(0), uint8(0), int64(60000), 0.0, int64(1))
	f.Add(int64(1), -1e21, 1e21, uint64(models.MaxSeed), uint8(2), int64(1), 1.0, int64(10000))
	f.Add(int64(86400000), 1e-7, 0.000001, uint64(42), uint8(5), int64(models.MaxPeriod), 1e-7, int64(2))
	f.Add(int64(1000), 0.0, 100.0, uint64(0), uint8(1), int64(60000), 0.25, int64(1))
	f.Fuzz(func(t *testing.T, tick int64, lower, upper float64, seed uint64, shape uint8, period int64, noise float64, series int64) {
		q := models.Query{TickInterval: tick, LowerLimit: lower, UpperLimit: upper, Seed: seed,
			Shape: models.Shapes[int(shape)%len(models.Shapes)], Period: period, Noise: noise, Series: series}
		if q.Check(models.WidestSettings()) != nil || lower == 0 && math.Signbit(lower) || upper == 0 && math.Signbit(upper) ||
			noise == 0 && math.Signbit(noise) || !q.Shape.Periodic() && period != models.DefaultPeriod {
			return
		}
		path := Format(q)
		back, err := Parse(path)
		if err != nil {
			t.Fatalf("Parse(Format(%+v)) = %v", q, err)
		}
		if back != q {
			t.Fatalf("Parse(Format(%+v)) = %+v", q, back)
		}
	})
}

func BenchmarkFormat(b *testing.B) {
	b.ReportAllocs()
	q := models.DefaultQuery()
	q.LowerLimit, q.UpperLimit, q.Seed = -5.25, 1e21, 42
	for b.Loop() {
		if Format(q) == "" {
			b.Fatal("empty path")
		}
	}
}

func BenchmarkFormatEveryOption(b *testing.B) {
	b.ReportAllocs()
	q := models.Query{TickInterval: 10, LowerLimit: -1, UpperLimit: 1, Seed: 3, Shape: models.ShapeSine, Period: 5000, Noise: 0.25, Series: 4}
	for b.Loop() {
		if Format(q) == "" {
			b.Fatal("empty path")
		}
	}
}

func BenchmarkParseEveryOption(b *testing.B) {
	b.ReportAllocs()
	path := "v1/t=10/lo=-1/hi=1/seed=3/shape=sine/period=5000/noise=0.25/series=4"
	for b.Loop() {
		if _, err := Parse(path); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	path := "v1/t=1000/lo=-5.25/hi=1e21/seed=42"
	for b.Loop() {
		if _, err := Parse(path); err != nil {
			b.Fatal(err)
		}
	}
}
