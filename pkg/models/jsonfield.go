package models

import (
	"bytes"
	"encoding/json"

	"github.com/tickstream/streaming/pkg/jsnum"
)

// input is one numeric field as received, before validation: a number, or
// the description of whatever came instead for the "got" of a message.
type input struct {
	number   float64
	isNumber bool
	got      string
}

// numberInput is a field that arrived as the number x.
func numberInput(x float64) input {
	return input{number: x, isNumber: true, got: jsnum.Format(x)}
}

// readObject decodes raw as a JSON object of raw fields. Empty raw (nothing
// sent) is an empty object, and so is null when nullIsEmpty. ok is false
// when raw is anything else but an object; got then describes it.
func readObject(raw json.RawMessage, nullIsEmpty bool) (fields map[string]json.RawMessage, got string, ok bool) {
	raw = jsnum.TrimSpace(raw)
	if len(raw) == 0 || nullIsEmpty && bytes.Equal(raw, []byte("null")) {
		return map[string]json.RawMessage{}, "", true
	}
	if raw[0] != '{' {
		return nil, jsnum.Describe(raw), false
	}
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, jsnum.Describe(raw), false
	}
	return fields, "", true
}

// readField returns the field name of fields, or the number fallback when
// the field is absent. A present field that is not a number, null
// included, is kept with its description so the caller can refuse it.
func readField(fields map[string]json.RawMessage, name string, fallback float64) input {
	raw, present := fields[name]
	if !present {
		return numberInput(fallback)
	}
	if x, ok := jsnum.ParseNumber(raw); ok {
		return numberInput(x)
	}
	return input{got: jsnum.Describe(raw)}
}

// isWholeIn reports whether in is a whole number from lo to hi.
func (in input) isWholeIn(lo, hi float64) bool {
	x := in.number
	return in.isNumber && x >= lo && x <= hi && x == float64(int64(x))
}

// isFinite reports whether in is a finite number.
func (in input) isFinite() bool {
	x := in.number
	return in.isNumber && x-x == 0
}

// withoutNegativeZero returns x with -0 read as 0, which neither JSON
// consumers nor the channel path can tell apart.
func withoutNegativeZero(x float64) float64 {
	if x == 0 {
		return 0
	}
	return x
}

// stringValue is one text field as received: a string, or the
// description of whatever came instead for the "got" of a message.
type stringValue struct {
	text     string
	isString bool
	got      string
}

// stringInput is a field that arrived as the string text.
func stringInput(text string) stringValue {
	return stringValue{text: text, isString: true, got: jsnum.Describe(text)}
}

// readStringField returns the field name of fields, or the string fallback
// when the field is absent. A present field that is not a JSON string,
// null included, is kept with its description so the caller can refuse it.
func readStringField(fields map[string]json.RawMessage, name, fallback string) stringValue {
	raw, present := fields[name]
	if !present {
		return stringInput(fallback)
	}
	var text string
	if trimmed := jsnum.TrimSpace(raw); len(trimmed) > 0 && trimmed[0] == '"' && json.Unmarshal(trimmed, &text) == nil {
		return stringInput(text)
	}
	return stringValue{got: jsnum.Describe(raw)}
}
