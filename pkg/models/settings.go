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
	// produce, which bounds the CPU a fast tick can cost.
	MaxPointsPerSecond int64 `json:"maxPointsPerSecond"`
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
	if minTick := readField(fields, "minTickInterval", DefaultMinTickInterval); minTick.isWholeIn(1, MaxTickInterval) {
		s.MinTickInterval = int64(minTick.number)
	} else {
		errs = append(errs, FieldError{Field: "minTickInterval", Kind: KindInvalid,
			Message: "minTickInterval must be a whole number of milliseconds from 1 to 86400000; got " + minTick.got})
	}
	if maxRate := readField(fields, "maxPointsPerSecond", DefaultMaxPointsPerSecond); maxRate.isWholeIn(1, MaxMaxPointsPerSecond) {
		s.MaxPointsPerSecond = int64(maxRate.number)
	} else {
		errs = append(errs, FieldError{Field: "maxPointsPerSecond", Kind: KindInvalid,
			Message: "maxPointsPerSecond must be a whole number from 1 to " + jsnum.Format(MaxMaxPointsPerSecond) + "; got " + maxRate.got})
	}
	return s, errs
}
