package models

import (
	"encoding/json"

	"github.com/tickstream/streaming/pkg/jsnum"
)

// Settings are a data source's limits on the queries it serves (its
// jsonData). The zero value is not valid; start from DefaultSettings or
// LoadSettings.
type Settings struct {
	// MinTickInterval is the smallest tickInterval a query may use, in ms.
	MinTickInterval int64 `json:"minTickInterval"`
	// MaxPointsPerSecond is the most points per second one stream may
	// produce, series × ticks, which bounds the CPU a fast tick can cost.
	MaxPointsPerSecond int64 `json:"maxPointsPerSecond"`
	// MaxSeries is the most series one query may ask for.
	MaxSeries int64 `json:"maxSeries"`
	// MaxMessageRate is the most messages per second one stream sends;
	// faster ticks are batched into fewer messages.
	MaxMessageRate int64 `json:"maxMessageRate"`
	// MaxStreams is the most streams the data source runs at once; a
	// subscription that would start one more is refused.
	MaxStreams int64 `json:"maxStreams"`
	// MaxTotalPointsPerSecond is the most points per second all its
	// streams make together, which bounds the CPU the data source can cost
	// however many people query it.
	MaxTotalPointsPerSecond int64 `json:"maxTotalPointsPerSecond"`
}

// LoadSettings reads a data source's jsonData. Empty or null jsonData and
// absent fields take their defaults; unknown fields are ignored. A bad field
// keeps its default in the returned Settings, but the errors say the data
// source is misconfigured and callers must refuse to serve it.
func LoadSettings(jsonData json.RawMessage) (Settings, []FieldError) {
	s := DefaultSettings()
	fields, got, ok := readObject(jsonData, true)
	if !ok {
		return s, []FieldError{{
			Field:   "jsonData",
			Kind:    KindInvalid,
			Message: "the data source settings (jsonData) must be a JSON object; got " + got,
		}}
	}
	var errs []FieldError
	for _, setting := range []struct {
		name     string
		dst      *int64
		fallback int64
		max      int64
		what     string // the words between "a whole number" and "from 1"
	}{
		{"minTickInterval", &s.MinTickInterval, DefaultMinTickInterval, MaxTickInterval, " of milliseconds"},
		{"maxPointsPerSecond", &s.MaxPointsPerSecond, DefaultMaxPointsPerSecond, MaxMaxPointsPerSecond, ""},
		{"maxSeries", &s.MaxSeries, DefaultMaxSeries, MaxMaxSeries, ""},
		{"maxMessageRate", &s.MaxMessageRate, DefaultMaxMessageRate, MaxMaxMessageRate, " of messages per second"},
		{"maxStreams", &s.MaxStreams, DefaultMaxStreams, MaxMaxStreams, ""},
		{"maxTotalPointsPerSecond", &s.MaxTotalPointsPerSecond, DefaultMaxTotalPointsPerSecond, MaxMaxTotalPointsPerSecond, ""},
	} {
		in := readField(fields, setting.name, float64(setting.fallback))
		if in.isWholeIn(1, float64(setting.max)) {
			*setting.dst = int64(in.number)
			continue
		}
		errs = append(errs, FieldError{Field: setting.name, Kind: KindInvalid,
			Message: setting.name + " must be a whole number" + setting.what + " from 1 to " +
				jsnum.Format(float64(setting.max)) + "; got " + in.got})
	}
	return s, errs
}
