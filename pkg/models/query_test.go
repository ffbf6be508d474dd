package models_test

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"github.com/tickstream/streaming/pkg/models"
)

// The vectors cover the messages; these cases cover what only the backend
// meets: raw bytes that are not JSON, numbers past float64, Go's own
// decoding habits.
func TestParseQueryBackendOnlyInputs(t *testing.T) {
	defaults := models.DefaultSettings()
	tests := []struct {
		name       string
		raw        string
		want       models.Query
		wantFields []string
	}{
		{name: "nothing sent is an empty object", raw: "", want: models.DefaultQuery()},
		{name: "whitespace around the object", raw: " \n{\"seed\": 3}\t", want: withSeed(3)},
		{name: "broken JSON", raw: `{"tickInterval":`, wantFields: []string{"query"}},
		{name: "number past float64 is Infinity", raw: `{"upperLimit": 1e400}`, wantFields: []string{"upperLimit"}},
		{name: "field names are case-sensitive", raw: `{"TICKINTERVAL": 0}`, want: models.DefaultQuery()},
		{name: "a later duplicate wins, as in JSON.parse", raw: `{"seed": -1, "seed": 2}`, want: withSeed(2)},
		{name: "whole number written with an exponent", raw: `{"tickInterval": 1e3}`, want: models.DefaultQuery()},
		{name: "whole number written with a fraction", raw: `{"tickInterval": 1000.0}`, want: models.DefaultQuery()},
		{name: "a seed that rounds to 2^53", raw: `{"seed": 9007199254740993}`, wantFields: []string{"seed"}},
		{name: "both limit relations at once", raw: `{"lowerLimit": 1e308, "upperLimit": -1e308}`, wantFields: []string{"lowerLimit", "upperLimit"}},
		{name: "a number string", raw: `"1000"`, wantFields: []string{"query"}},
		{name: "a shape with escapes is still its name", raw: `{"shape":"\u0073ine"}`, want: withShape(models.ShapeSine)},
		{name: "shape names are case-sensitive", raw: `{"shape":"Sine"}`, wantFields: []string{"shape"}},
		{name: "a shape given as an array", raw: `{"shape":["sine"]}`, wantFields: []string{"shape"}},
		{name: "negative zero noise is zero", raw: `{"noise":-0}`, want: models.DefaultQuery()},
		{name: "noise past float64", raw: `{"noise":1e400}`, wantFields: []string{"noise"}},
		{name: "series written with an exponent", raw: `{"series":1e1}`, want: withSeries(10)},
		{name: "a non-periodic shape ignores a period of any type", raw: `{"shape":"walk","period":{"x":1}}`, want: withShape(models.ShapeWalk)},
		{name: "a bad series skips the points-per-second rule", raw: `{"tickInterval":10,"series":1e9}`, wantFields: []string{"series"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := models.ParseQuery(json.RawMessage(tt.raw), defaults)
			var fields []string
			for _, e := range errs {
				fields = append(fields, e.Field)
			}
			if !reflect.DeepEqual(fields, tt.wantFields) {
				t.Fatalf("error fields = %v (%v), want %v", fields, errs, tt.wantFields)
			}
			if errs == nil && got != tt.want {
				t.Errorf("query = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func withSeed(seed uint64) models.Query {
	q := models.DefaultQuery()
	q.Seed = seed
	return q
}

func withShape(shape models.Shape) models.Query {
	q := models.DefaultQuery()
	q.Shape = shape
	return q
}

func withSeries(n int64) models.Query {
	q := models.DefaultQuery()
	q.Series = n
	return q
}

func TestParseQueryDescribesInvalidJSON(t *testing.T) {
	_, errs := models.ParseQuery(json.RawMessage(`{"a"`), models.DefaultSettings())
	want := []models.FieldError{{Field: "query", Kind: models.KindInvalid, Message: "the query must be a JSON object; got invalid JSON"}}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors = %#v, want %#v", errs, want)
	}
}

func TestCheckAppliesSettings(t *testing.T) {
	q := models.DefaultQuery()
	q.TickInterval = 5
	if errs := q.Check(models.WidestSettings()); errs != nil {
		t.Errorf("under the widest settings: %v", errs)
	}
	errs := q.Check(models.DefaultSettings())
	if len(errs) != 1 || errs[0].Kind != models.KindLimit || errs[0].Field != "tickInterval" {
		t.Errorf("under the default settings: %#v, want one tickInterval limit", errs)
	}
	q = models.DefaultQuery()
	q.TickInterval, q.Series = 10, 101
	errs = q.Check(models.Settings{MinTickInterval: 10, MaxPointsPerSecond: 10_000, MaxSeries: 1000, MaxMessageRate: 20})
	if len(errs) != 1 || errs[0].Kind != models.KindLimit || errs[0].Field != "tickInterval" {
		t.Errorf("101 series at 10 ms: %#v, want one tickInterval limit", errs)
	}
	if got := q.PointsPerSecond(); got != 10_100 {
		t.Errorf("PointsPerSecond = %v, want 10100", got)
	}
}

func TestShapes(t *testing.T) {
	periodic := map[models.Shape]bool{models.ShapeSine: true, models.ShapeSquare: true, models.ShapeSawtooth: true, models.ShapeTriangle: true}
	for _, s := range models.Shapes {
		if !s.Valid() || s.Periodic() != periodic[s] {
			t.Errorf("%s: Valid %v Periodic %v", s, s.Valid(), s.Periodic())
		}
	}
	for _, s := range []models.Shape{"", "sin", "Random"} {
		if s.Valid() || s.Periodic() {
			t.Errorf("%q counts as a shape", s)
		}
	}
}

func TestFieldsValidateRefusesNonFinite(t *testing.T) {
	tests := []struct {
		name       string
		edit       func(*models.Fields)
		wantFields []string
	}{
		{"NaN tick", func(f *models.Fields) { f.TickInterval = math.NaN() }, []string{"tickInterval"}},
		{"infinite lower", func(f *models.Fields) { f.LowerLimit = math.Inf(-1) }, []string{"lowerLimit"}},
		{"NaN upper", func(f *models.Fields) { f.UpperLimit = math.NaN() }, []string{"upperLimit"}},
		{"infinite seed", func(f *models.Fields) { f.Seed = math.Inf(1) }, []string{"seed"}},
		{"NaN period of a sine", func(f *models.Fields) { f.Shape, f.Period = "sine", math.NaN() }, []string{"period"}},
		{"NaN period of a walk", func(f *models.Fields) { f.Shape, f.Period = "walk", math.NaN() }, nil},
		{"NaN noise", func(f *models.Fields) { f.Noise = math.NaN() }, []string{"noise"}},
		{"infinite series", func(f *models.Fields) { f.Series = math.Inf(1) }, []string{"series"}},
		{"empty shape", func(f *models.Fields) { f.Shape = "" }, []string{"shape"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := models.DefaultFields()
			tt.edit(&f)
			_, errs := f.Validate(models.WidestSettings())
			var fields []string
			for _, e := range errs {
				fields = append(fields, e.Field)
			}
			if !reflect.DeepEqual(fields, tt.wantFields) {
				t.Errorf("error fields = %v, want %v", fields, tt.wantFields)
			}
		})
	}
}

func TestJoinMessages(t *testing.T) {
	errs := []models.FieldError{{Message: "a"}, {Message: "b"}}
	if got := models.JoinMessages(errs); got != "a; b" {
		t.Errorf("JoinMessages = %q", got)
	}
}
