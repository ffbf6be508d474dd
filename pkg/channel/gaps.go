package channel

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tickstream/streaming/pkg/jsnum"
	"github.com/tickstream/streaming/pkg/models"
)

// The gaps fields' segments, after the others and each only when it
// differs from its default:
//
//	/drop=<dropPercent>
//	/outage=<outagePeriod>_<outageDuration>
//	/values=<n>_<n>_…       csv shape: its numbers, as the path writes numbers
//	/kind=<state|logs>
//	/states=<name>.<name>.… state kind: its names, which have no "."
//
// Grafana allows only A-Z a-z 0-9 _ - / = . in a path, so lists are
// joined by characters their items cannot hold: "_" between numbers, "."
// between state names (letters, digits, _ and - only).
const gapsLayout = "[/drop=<number>][/outage=<ms>_<ms>][/values=<n>_<n>…][/kind=<name>][/states=<name>.<name>…]"

// appendGaps appends the gaps segments of q.
func appendGaps(buf []byte, q models.Query) []byte {
	if q.DropPercent != models.DefaultDropPercent {
		buf = append(buf, "/drop="...)
		buf = appendNumber(buf, q.DropPercent)
	}
	if q.HasOutages() {
		buf = append(buf, "/outage="...)
		buf = strconv.AppendInt(buf, q.OutagePeriod, 10)
		buf = append(buf, '_')
		buf = strconv.AppendInt(buf, q.OutageDuration, 10)
	}
	if q.Values != models.DefaultValues {
		buf = append(buf, "/values="...)
		for i, x := range q.ValueList() {
			if i > 0 {
				buf = append(buf, '_')
			}
			buf = appendNumber(buf, x)
		}
	}
	if q.Kind != models.DefaultKind {
		buf = append(buf, "/kind="...)
		buf = append(buf, q.Kind...)
	}
	if q.States != models.DefaultStates {
		buf = append(buf, "/states="...)
		buf = append(buf, strings.ReplaceAll(q.States, ",", ".")...)
	}
	return buf
}

// parseGaps reads the gaps segment key=text into f; handled is false for
// the other keys. The canonical check after validation refuses whatever
// Format would not have written, such as a default or "+".
func parseGaps(path, key, text string, f *models.Fields) (handled bool, err error) {
	number := func(text string) (float64, error) {
		x, ok := jsnum.ParseNumber([]byte(text))
		if !ok {
			return 0, fmt.Errorf("channel path %q: %s=%q is not a number", path, key, text)
		}
		return x, nil
	}
	switch key {
	case "drop":
		f.DropPercent, err = number(text)
	case "outage":
		periodText, durationText, found := strings.Cut(text, "_")
		if !found {
			return true, fmt.Errorf("channel path %q: outage=%q is not <outagePeriod>_<outageDuration>", path, text)
		}
		if f.OutagePeriod, err = number(periodText); err == nil {
			f.OutageDuration, err = number(durationText)
		}
	case "values":
		// Validation reads the list; a bad item fails it with its own
		// message.
		f.Values = strings.ReplaceAll(text, "_", ",")
	case "kind":
		f.Kind = text
	case "states":
		f.States = strings.ReplaceAll(text, ".", ",")
	default:
		return false, nil
	}
	return true, err
}
