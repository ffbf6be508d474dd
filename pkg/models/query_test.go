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
		{name: "whitespace around the object", raw: " \n{\"seed\": 3}\t", want: models.Query{TickInterval: 1000, UpperLimit: 100, Seed: 3}},
		{name: "broken JSON", raw: `{"tickInterval":`, wantFields: []string{"query"}},
		{name: "number past float64 is Infinity", raw: `{"upperLimit": 1e400}`, wantFields: []string{"upperLimit"}},
		{name: "field names are case-sensitive", raw: `{"TICKINTERVAL": 0}`, want: models.DefaultQuery()},
		{name: "a later duplicate wins, as in JSON.parse", raw: `{"seed": -1, "seed": 2}`, want: models.Query{TickInterval: 1000, UpperLimit: 100, Seed: 2}},
		{name: "whole number written with an exponent", raw: `{"tickInterval": 1e3}`, want: models.DefaultQuery()},
		{name: "whole number written with a fraction", raw: `{"tickInterval": 1000.0}`, want: models.DefaultQuery()},
		{name: "a seed that rounds to 2^53", raw: `{"seed": 9007199254740993}`, wantFields: []string{"seed"}},
		{name: "both limit relations at once", raw: `{"lowerLimit": 1e308, "upperLimit": -1e308}`, wantFields: []string{"lowerLimit", "upperLimit"}},
		{name: "a number string", raw: `"1000"`, wantFields: []string{"query"}},
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

func TestParseQueryDescribesInvalidJSON(t *testing.T) {
	_, errs := models.ParseQuery(json.RawMessage(`{"a"`), models.DefaultSettings())
	want := []models.FieldError{{Field: "query", Kind: models.KindInvalid, Message: "the query must be a JSON object; got invalid JSON"}}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors = %#v, want %#v", errs, want)
	}
}

func TestCheckAppliesSettings(t *testing.T) {
	q := models.Query{TickInterval: 5, LowerLimit: 0, UpperLimit: 1}
	if errs := q.Check(models.WidestSettings()); errs != nil {
		t.Errorf("under the widest settings: %v", errs)
	}
	errs := q.Check(models.DefaultSettings())
	if len(errs) != 1 || errs[0].Kind != models.KindLimit || errs[0].Field != "tickInterval" {
		t.Errorf("under the default settings: %#v, want one tickInterval limit", errs)
	}
}

func TestFromNumbersRefusesNonFinite(t *testing.T) {
	tests := []struct {
		name                     string
		tick, lower, upper, seed float64
		wantFields               []string
	}{
		{"NaN tick", math.NaN(), 0, 1, 0, []string{"tickInterval"}},
		{"infinite lower", 1000, math.Inf(-1), 1, 0, []string{"lowerLimit"}},
		{"NaN upper", 1000, 0, math.NaN(), 0, []string{"upperLimit"}},
		{"infinite seed", 1000, 0, 1, math.Inf(1), []string{"seed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := models.FromNumbers(tt.tick, tt.lower, tt.upper, tt.seed, models.WidestSettings())
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
