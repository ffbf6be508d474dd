package models_test

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/tickstream/streaming/pkg/models"
)

// FuzzParseQuery checks that no input panics and that an accepted query
// always satisfies the settings it was accepted under.
func FuzzParseQuery(f *testing.F) {
	for _, seed := range []struct {
		query                                string
		minTick, maxRate, maxSeries, msgRate uint32
	}{
		{`{}`, 10, 10000, 100, 20},
		{`{"refId":"A","tickInterval":500,"lowerLimit":-5,"upperLimit":5}`, 10, 10000, 100, 20},
		{`{"tickInterval":1,"seed":9007199254740991}`, 1, 10000, 100, 20},
		{`{"tickInterval":3}`, 1, 100, 100, 20},
		{`{"tickInterval":86400000}`, 86400000, 1, 100, 20},
		{`{"lowerLimit":-1e308,"upperLimit":1e308}`, 10, 10000, 100, 20},
		{`{"lowerLimit":-0,"upperLimit":-0}`, 10, 10000, 100, 20},
		{`{"tickInterval":null,"lowerLimit":"x","upperLimit":[],"seed":{}}`, 10, 10000, 100, 20},
		{`{"tickInterval":1e400,"lowerLimit":-1e400}`, 10, 10000, 100, 20},
		{`{"seed":9007199254740993}`, 10, 10000, 100, 20},
		{`{"tickInterval":`, 10, 10000, 100, 20},
		{`[1000,0,100]`, 10, 10000, 100, 20},
		{`null`, 10, 10000, 100, 20},
		{"\xff\xfe", 10, 10000, 100, 20},
		{"\f{}", 10, 10000, 100, 20}, // not JSON: JSON.parse refuses a form feed
		{"\u00a0{\"seed\":1}", 10, 10000, 100, 20},
		{`{"tickInterval":10,"shape":"sine","period":5000,"noise":0.5,"series":100}`, 10, 10000, 100, 20},
		{`{"tickInterval":10,"series":200}`, 10, 10000, 1000, 20},
		{`{"shape":"walk","period":-5,"noise":-0}`, 10, 10000, 100, 20},
		{`{"shape":"x","period":0,"noise":2,"series":0}`, 10, 10000, 100, 20},
		{`{"shape":null,"series":10000}`, 1, 10000000, 10000, 1000},
		// The gaps fields.
		{`{"dropPercent":12.5,"outagePeriod":60000,"outageDuration":5000,"series":3}`, 10, 10000, 100, 20},
		{`{"shape":"csv","values":" 1,-0, 2.50,1e21","lowerLimit":-1,"upperLimit":1e22,"noise":0.1}`, 10, 10000, 100, 20},
		{`{"shape":"csv","values":"1,,x,1e400"}`, 10, 10000, 100, 20},
		{`{"kind":"state","states":" OK ,WARN,CRIT"}`, 10, 10000, 100, 20},
		{`{"kind":"state","states":"a.b,c d"}`, 10, 10000, 100, 20},
		{`{"kind":"logs","series":4,"dropPercent":100,"shape":"walk"}`, 10, 10000, 100, 20},
		{`{"values":"1","states":"A","kind":"x","outagePeriod":5,"outageDuration":5}`, 10, 10000, 100, 20},
	} {
		f.Add([]byte(seed.query), seed.minTick, seed.maxRate, seed.maxSeries, seed.msgRate)
	}
	f.Fuzz(func(t *testing.T, query []byte, minTick, maxRate, maxSeries, msgRate uint32) {
		s := models.Settings{
			MinTickInterval:    1 + int64(minTick)%models.MaxTickInterval,
			MaxPointsPerSecond: 1 + int64(maxRate)%models.MaxMaxPointsPerSecond,
			MaxSeries:          1 + int64(maxSeries)%models.MaxMaxSeries,
			MaxMessageRate:     1 + int64(msgRate)%models.MaxMaxMessageRate,
		}
		q, errs := models.ParseQuery(query, s)
		for _, e := range errs {
			if e.Field == "" || e.Message == "" || e.Kind != models.KindInvalid && e.Kind != models.KindLimit {
				t.Fatalf("malformed error %#v", e)
			}
		}
		if errs == nil {
			checkQuery(t, q, s)
			if len(bytes.TrimSpace(query)) > 0 && !json.Valid(query) {
				t.Fatalf("accepted a query that is not JSON: %q", query)
			}
		}
	})
}

// FuzzLoadSettings checks that no jsonData panics and that the returned
// settings are always usable, even alongside errors.
func FuzzLoadSettings(f *testing.F) {
	for _, seed := range []string{
		``, `null`, `{}`, `{"minTickInterval":1,"maxPointsPerSecond":10000000}`,
		`{"minTickInterval":86400000,"maxPointsPerSecond":1}`, `{"minTickInterval":0}`,
		`{"minTickInterval":"10"}`, `{"maxPointsPerSecond":0.5}`, `{"minTickInterval":1e300,"maxPointsPerSecond":null}`,
		`[10,10000]`, `{"minTickInterval":-0}`, `{`,
		`{"maxSeries":10000,"maxMessageRate":1000}`, `{"maxSeries":0,"maxMessageRate":"20"}`, `{"a":{"b":[1,2,{"c":null}]}}`, "\xff",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, jsonData []byte) {
		s, errs := models.LoadSettings(jsonData)
		checkSettings(t, s)
		if trimmed := bytes.TrimSpace(jsonData); errs == nil && len(trimmed) > 0 && !json.Valid(trimmed) {
			t.Fatalf("accepted jsonData that is not JSON: %q", jsonData)
		}
	})
}

func checkSettings(t *testing.T, s models.Settings) {
	t.Helper()
	if s.MinTickInterval < 1 || s.MinTickInterval > models.MaxTickInterval ||
		s.MaxPointsPerSecond < 1 || s.MaxPointsPerSecond > models.MaxMaxPointsPerSecond ||
		s.MaxSeries < 1 || s.MaxSeries > models.MaxMaxSeries ||
		s.MaxMessageRate < 1 || s.MaxMessageRate > models.MaxMaxMessageRate {
		t.Fatalf("unusable settings %+v", s)
	}
}

func checkQuery(t *testing.T, q models.Query, s models.Settings) {
	t.Helper()
	switch {
	case q.TickInterval < s.MinTickInterval || q.TickInterval > models.MaxTickInterval:
		t.Fatalf("tickInterval out of range in %+v under %+v", q, s)
	case q.Series < 1 || q.Series > s.MaxSeries:
		t.Fatalf("series out of range in %+v under %+v", q, s)
	case float64(q.Series)*1000/float64(q.TickInterval) > float64(s.MaxPointsPerSecond):
		t.Fatalf("too many points per second in %+v under %+v", q, s)
	case math.IsNaN(q.LowerLimit) || math.IsInf(q.LowerLimit, 0) || math.IsNaN(q.UpperLimit) || math.IsInf(q.UpperLimit, 0):
		t.Fatalf("non-finite limits in %+v", q)
	case q.LowerLimit > q.UpperLimit || math.IsInf(q.UpperLimit-q.LowerLimit, 0):
		t.Fatalf("limits out of order or too wide in %+v", q)
	case math.Signbit(q.LowerLimit) && q.LowerLimit == 0 || math.Signbit(q.UpperLimit) && q.UpperLimit == 0:
		t.Fatalf("-0 kept in %+v", q)
	case q.Seed > models.MaxSeed:
		t.Fatalf("seed too large in %+v", q)
	case !q.Shape.Valid():
		t.Fatalf("unknown shape in %+v", q)
	case q.Shape.Periodic() && (q.Period < 1 || q.Period > models.MaxPeriod) || !q.Shape.Periodic() && q.Period != models.DefaultPeriod:
		t.Fatalf("period not normalized in %+v", q)
	case !(q.Noise >= 0 && q.Noise <= 1) || q.Noise == 0 && math.Signbit(q.Noise):
		t.Fatalf("noise out of range in %+v", q)
	}
	checkGaps(t, q)
	if errs := q.Check(s); errs != nil {
		t.Fatalf("accepted %+v fails its own Check: %v", q, errs)
	}
}

// checkGaps holds an accepted query's gaps fields to their rules: in
// range, values only for csv and within the limits, states only for the
// state kind, normalized so that Check sees the same query.
func checkGaps(t *testing.T, q models.Query) {
	t.Helper()
	switch {
	case !(q.DropPercent >= 0 && q.DropPercent <= 100) || q.DropPercent == 0 && math.Signbit(q.DropPercent):
		t.Fatalf("dropPercent out of range in %+v", q)
	case (q.OutagePeriod != 0 || q.OutageDuration != 0) && !(q.OutageDuration > 0 && q.OutageDuration < q.OutagePeriod):
		t.Fatalf("outage that does not fit its period in %+v", q)
	case !q.Kind.Valid():
		t.Fatalf("unknown kind in %+v", q)
	case (q.Shape == models.ShapeCSV) != (q.Values != ""):
		t.Fatalf("values without csv or csv without values in %+v", q)
	case (q.Kind == models.SignalState) != (q.States != ""):
		t.Fatalf("states without the state kind or the reverse in %+v", q)
	}
	for _, v := range q.ValueList() {
		if v < q.LowerLimit || v > q.UpperLimit {
			t.Fatalf("value %v outside the limits in %+v", v, q)
		}
	}
}
