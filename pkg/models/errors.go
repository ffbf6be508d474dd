package models

import "strings"

// Kind tells who would refuse a value: every data source, or only this one.
type Kind string

const (
	// KindInvalid marks a value no data source could accept.
	KindInvalid Kind = "invalid"
	// KindLimit marks a value refused only by this data source's settings.
	KindLimit Kind = "limit"
)

// FieldError is one validation problem, attached to the field it concerns
// so that the editor can show it there. Field is a query or settings field,
// or "query" / "jsonData" when the whole value is not a JSON object. The
// messages are those of DEVELOPERS.md, identical to the frontend's.
type FieldError struct {
	Field   string `json:"field"`
	Kind    Kind   `json:"kind"`
	Message string `json:"message"`
}

// Error returns the message, which already names the field.
func (e FieldError) Error() string {
	return e.Message
}

// JoinMessages returns the messages of errs separated by "; ", for places
// that can show only one text, such as a query's error response.
func JoinMessages(errs []FieldError) string {
	messages := make([]string, len(errs))
	for i, e := range errs {
		messages[i] = e.Message
	}
	return strings.Join(messages, "; ")
}

// HasKind reports whether any of errs is of the given kind.
func HasKind(errs []FieldError, kind Kind) bool {
	for _, e := range errs {
		if e.Kind == kind {
			return true
		}
	}
	return false
}
