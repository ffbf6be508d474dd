package models

import (
	"encoding/json"
	"slices"
	"strings"
)

// QueryTypeLabelValues is the queryType of a variable query: instead of
// series, it lists the values one label takes across the query's series,
// for a dashboard variable (repeat by variable, "All").
const QueryTypeLabelValues = "labelValues"

// LabelValues returns the distinct values the label key takes across the
// series of the valid query q, in series order, so that the variable's
// values are the same on every refresh and instance.
func (q Query) LabelValues(key string) []string {
	var values []string
	names := q.Names()
	for i := int64(1); i <= q.Series; i++ {
		if v, ok := names.Labels(i)[key]; ok && !slices.Contains(values, v) {
			values = append(values, v)
		}
	}
	return values
}

// ParseLabelKey reads the labelKey field of a variable query for the
// valid query q: a string that is one of q's label keys.
func ParseLabelKey(raw json.RawMessage, q Query) (string, []FieldError) {
	fields, _, ok := readObject(raw, false)
	if !ok {
		fields = map[string]json.RawMessage{}
	}
	key := readStringField(fields, "labelKey", "")
	keys := make([]string, 0, 4)
	for k := range q.Names().Labels(1) {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fail := func(message string) (string, []FieldError) {
		return "", []FieldError{{Field: "labelKey", Kind: KindInvalid, Message: message}}
	}
	switch {
	case len(keys) == 0:
		return fail("labelKey names the label whose values the variable lists, but the query's series have no labels: set labels, e.g. host=web-" + SeriesIndex)
	case !key.isString || !slices.Contains(keys, key.text):
		return fail("labelKey must be one of the query's label keys, " + strings.Join(keys, ", ") + "; got " + key.got)
	}
	return key.text, nil
}
