package models_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/tickstream/streaming/internal/vectors"
	"github.com/tickstream/streaming/pkg/models"
)

func loadVectors(t *testing.T) *vectors.File {
	t.Helper()
	f, err := vectors.Load()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestDefaultsMatchVectors(t *testing.T) {
	f := loadVectors(t)
	if got := models.DefaultQuery(); got != f.Defaults.Query {
		t.Errorf("DefaultQuery() = %+v, vectors say %+v", got, f.Defaults.Query)
	}
	if got := models.DefaultSettings(); got != f.Defaults.Settings {
		t.Errorf("DefaultSettings() = %+v, vectors say %+v", got, f.Defaults.Settings)
	}
	if _, _, got, errs := models.ParseQueryOverlays([]byte(`{}`), models.DefaultSettings()); errs != nil || got != f.Defaults.Overlays {
		t.Errorf("overlays of {} = %+v (errors %v), vectors say %+v", got, errs, f.Defaults.Overlays)
	}
}

func TestParseQueryVectors(t *testing.T) {
	for _, c := range loadVectors(t).Queries {
		t.Run(c.Name, func(t *testing.T) {
			settings, settingsErrs := models.LoadSettings(c.Settings)
			if len(settingsErrs) > 0 {
				t.Fatalf("the case's settings are invalid: %v", settingsErrs)
			}
			got, errs := models.ParseQuery(c.Query, settings)
			if !reflect.DeepEqual(errs, c.Errors) {
				t.Fatalf("errors\n got %#v\nwant %#v", errs, c.Errors)
			}
			if c.Valid == nil {
				return
			}
			if got != *c.Valid {
				t.Errorf("query = %+v, want %+v", got, *c.Valid)
			}
			if math.Signbit(got.LowerLimit) && got.LowerLimit == 0 || math.Signbit(got.UpperLimit) && got.UpperLimit == 0 {
				t.Errorf("query %+v keeps a -0", got)
			}
			if again := got.Check(settings); again != nil {
				t.Errorf("Check of the parsed query = %v, want none", again)
			}
			if c.Overlays != nil {
				q, _, o, errs := models.ParseQueryOverlays(c.Query, settings)
				if errs != nil || q != got || o != *c.Overlays {
					t.Errorf("ParseQueryOverlays = %+v, %+v, %v; want %+v, %+v", q, o, errs, got, *c.Overlays)
				}
			}
		})
	}
}

func TestLoadSettingsVectors(t *testing.T) {
	for _, c := range loadVectors(t).Settings {
		t.Run(c.Name, func(t *testing.T) {
			got, errs := models.LoadSettings(c.JSONData)
			if !reflect.DeepEqual(errs, c.Errors) {
				t.Fatalf("errors\n got %#v\nwant %#v", errs, c.Errors)
			}
			if c.Valid != nil && got != *c.Valid {
				t.Errorf("settings = %+v, want %+v", got, *c.Valid)
			}
		})
	}
}
