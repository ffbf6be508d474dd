package main

import (
	"fmt"
	"strings"

	"github.com/tickstream/streaming/pkg/models"
)

// streamKindFields are the soak's stream kinds by name: plain numbers and each
// gaps option, so that a soak covers what users stream.
var streamKindFields = []struct {
	name  string
	apply func(f *models.Fields)
}{
	{"number", func(*models.Fields) {}},
	{"drop", func(f *models.Fields) { f.DropPercent = 10 }},
	// An outage of a quarter of every 40 ticks: a few per stream and minute.
	{"outage", func(f *models.Fields) { f.OutagePeriod, f.OutageDuration = 40*f.TickInterval, 10*f.TickInterval }},
	{"csv", func(f *models.Fields) {
		f.Shape, f.Period, f.Values = string(models.ShapeCSV), models.DefaultPeriod, "5,10,20,40,80,95"
	}},
	{"state", func(f *models.Fields) { f.Kind, f.States = string(models.SignalState), "OK,WARN,CRIT" }},
	{"logs", func(f *models.Fields) { f.Kind, f.DropPercent = string(models.SignalLogs), 5 }},
}

// streamKinds lists the kind names -kinds accepts.
func streamKinds() []string {
	names := make([]string, len(streamKindFields))
	for i, k := range streamKindFields {
		names[i] = k.name
	}
	return names
}

// applyKind makes f a stream of the named kind.
func applyKind(f *models.Fields, name string) error {
	for _, k := range streamKindFields {
		if k.name == name {
			k.apply(f)
			return nil
		}
	}
	return fmt.Errorf("-kinds: %q is not one of %s", name, strings.Join(streamKinds(), ", "))
}
