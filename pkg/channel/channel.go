// Package channel maps a query to its Grafana Live channel path and back.
// Grafana runs one RunStream per channel with the first subscriber's data,
// so the path must carry the whole stream definition, one query to one
// path: Parse accepts only the exact text Format produces.
package channel

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tickstream/streaming/pkg/jsnum"
	"github.com/tickstream/streaming/pkg/models"
)

// Version is the first segment of every path this package writes. Later
// versions may add keys but never reinterpret these.
const Version = "v1"

// MaxIDLength is Grafana's limit on a whole channel id, scope/namespace/path.
const MaxIDLength = 160

// keys are the path's segments after the version, in their only order.
var keys = [...]string{"t", "lo", "hi", "seed"}

// Format returns the canonical path of q:
// v1/t=<tickInterval>/lo=<lowerLimit>/hi=<upperLimit>/seed=<seed>, each
// number as JavaScript's String(n) prints it but with the exponent's "+"
// dropped, since Grafana allows only A-Z a-z 0-9 _ - / = . in a path.
func Format(q models.Query) string {
	buf := make([]byte, 0, 96)
	buf = append(buf, Version+"/t="...)
	buf = strconv.AppendInt(buf, q.TickInterval, 10)
	buf = append(buf, "/lo="...)
	buf = appendNumber(buf, q.LowerLimit)
	buf = append(buf, "/hi="...)
	buf = appendNumber(buf, q.UpperLimit)
	buf = append(buf, "/seed="...)
	buf = strconv.AppendUint(buf, q.Seed, 10)
	return string(buf)
}

// appendNumber appends x as jsnum.Format does, without the "+" of a
// positive exponent.
func appendNumber(dst []byte, x float64) []byte {
	start := len(dst)
	dst = jsnum.Append(dst, x)
	if plus := bytes.IndexByte(dst[start:], '+'); plus >= 0 {
		at := start + plus
		dst = append(dst[:at], dst[at+1:]...)
	}
	return dst
}

// Parse reads a path written by Format. It refuses, with an error saying
// what is wrong, any path that is not exactly canonical (-0, 1.0, 01, 1e+21,
// other keys or versions) and any path whose query no data source could
// accept. It does not apply a data source's settings: check the result with
// models.Query.Check.
func Parse(path string) (models.Query, error) {
	if path == "" {
		return models.Query{}, fmt.Errorf("the channel path is empty")
	}
	if len(path) > MaxIDLength {
		return models.Query{}, fmt.Errorf("the channel path is %d characters long; no channel id may exceed %d", len(path), MaxIDLength)
	}
	if i := strings.IndexFunc(path, isForbidden); i >= 0 {
		r, _ := utf8.DecodeRuneInString(path[i:])
		return models.Query{}, fmt.Errorf("channel path %q contains %q, which Grafana does not allow in a path", path, r)
	}
	segments := strings.Split(path, "/")
	if segments[0] != Version {
		return models.Query{}, fmt.Errorf("channel path %q has version %q; this plugin reads only %s", path, segments[0], Version)
	}
	if len(segments) != 1+len(keys) {
		return models.Query{}, fmt.Errorf("channel path %q has %d segments after the version, want %d (%s)", path, len(segments)-1, len(keys), layout())
	}
	var numbers [len(keys)]float64
	for i, key := range keys {
		segment := segments[1+i]
		text, found := strings.CutPrefix(segment, key+"=")
		if !found {
			return models.Query{}, fmt.Errorf("channel path %q has %q where %s=<number> belongs (%s)", path, segment, key, layout())
		}
		x, ok := jsnum.ParseNumber([]byte(text))
		if !ok {
			return models.Query{}, fmt.Errorf("channel path %q: %s=%q is not a number", path, key, text)
		}
		numbers[i] = x
	}
	q, errs := models.FromNumbers(numbers[0], numbers[1], numbers[2], numbers[3], models.WidestSettings())
	if errs != nil {
		return models.Query{}, fmt.Errorf("channel path %q does not describe a valid stream: %s", path, models.JoinMessages(errs))
	}
	if canonical := Format(q); canonical != path {
		return models.Query{}, fmt.Errorf("channel path %q is not canonical; the same stream's path is %q", path, canonical)
	}
	return q, nil
}

// layout is the path pattern, for error messages.
func layout() string {
	return Version + "/t=<tickInterval>/lo=<lowerLimit>/hi=<upperLimit>/seed=<seed>"
}

// isForbidden reports whether Grafana refuses r in a channel path.
func isForbidden(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return false
	}
	return !strings.ContainsRune("_-/=.", r)
}

// ID returns the data source channel id ds/<uid>/<path>, or an error when
// it would be longer than Grafana accepts (MaxIDLength).
func ID(uid, path string) (string, error) {
	id := "ds/" + uid + "/" + path
	if len(id) > MaxIDLength {
		return "", fmt.Errorf("the stream's channel id %q is %d characters long, more than Grafana's limit of %d", id, len(id), MaxIDLength)
	}
	return id, nil
}
