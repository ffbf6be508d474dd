package models_test

import (
	"strings"
	"testing"

	"github.com/tickstream/streaming/pkg/models"
)

func TestDefaultFaultsMatchVectors(t *testing.T) {
	if got, want := models.DefaultFaults(), loadVectors(t).Defaults.Faults; got != want {
		t.Errorf("DefaultFaults() = %+v, vectors say %+v", got, want)
	}
}

// TestParseQueryFaultsVectors checks the faults of every valid vector (the
// defaults where a case sets none); TestParseQueryVectors checks the
// errors, which ParseQuery shares with ParseQueryFaults.
func TestParseQueryFaultsVectors(t *testing.T) {
	for _, c := range loadVectors(t).Queries {
		t.Run(c.Name, func(t *testing.T) {
			settings, _ := models.LoadSettings(c.Settings)
			q, f, errs := models.ParseQueryFaults(c.Query, settings)
			plain, plainErrs := models.ParseQuery(c.Query, settings)
			if q != plain || len(errs) != len(plainErrs) {
				t.Fatalf("ParseQueryFaults and ParseQuery disagree: %+v %v against %+v %v", q, errs, plain, plainErrs)
			}
			if c.Valid == nil {
				return
			}
			if f != *c.Faults {
				t.Errorf("faults = %+v, want %+v", f, *c.Faults)
			}
		})
	}
}

// TestFaultsMessage: the default failure message tells a viewer that the
// failure is planned and which field to change.
func TestFaultsMessage(t *testing.T) {
	f := models.DefaultFaults()
	f.FailPercent = 12.5
	if got := f.Message(); !strings.Contains(got, "Tickstream") || !strings.Contains(got, "failPercent is 12.5") {
		t.Errorf("default message %q names neither Tickstream nor failPercent 12.5", got)
	}
	f.FailMessage = "the database is down"
	if got := f.Message(); got != "the database is down" {
		t.Errorf("message %q, want failMessage itself", got)
	}
}
