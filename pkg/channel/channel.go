// Package channel maps a query to its Grafana Live channel path and back.
// Grafana runs one RunStream per channel with the first subscriber's data,
// so the path must carry the whole stream definition, one query to one
// path: Parse accepts only the exact text Format produces.
package channel

import (
	"bytes"
	"fmt"
	"slices"
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

// keys are the path's required segments after the version, in their only
// order.
var keys = [...]string{"t", "lo", "hi", "seed"}

// optionalKeys are the segments that follow keys, in their only order, each
// present only when its field differs from the default.
var optionalKeys = [...]string{
	"shape", "period", "noise", "series", "labels", "alias",
	// The gaps fields (gaps.go).
	"drop", "outage", "values", "kind", "states",
}

// Format returns the canonical path of q:
// v1/t=<tickInterval>/lo=<lowerLimit>/hi=<upperLimit>/seed=<seed>, then
// /shape=<name>, /period=<ms> (periodic shapes only), /noise=<n> and
// /series=<n>, each only when it differs from its default. Numbers are
// printed as JavaScript's String(n) does but with the exponent's "+"
// dropped, since Grafana allows only A-Z a-z 0-9 _ - / = . in a path.
func Format(q models.Query) string {
	buf := make([]byte, 0, 128)
	buf = append(buf, Version+"/t="...)
	buf = strconv.AppendInt(buf, q.TickInterval, 10)
	buf = append(buf, "/lo="...)
	buf = appendNumber(buf, q.LowerLimit)
	buf = append(buf, "/hi="...)
	buf = appendNumber(buf, q.UpperLimit)
	buf = append(buf, "/seed="...)
	buf = strconv.AppendUint(buf, q.Seed, 10)
	if q.Shape != models.DefaultShape {
		buf = append(buf, "/shape="...)
		buf = append(buf, q.Shape...)
	}
	if q.Shape.Periodic() && q.Period != models.DefaultPeriod {
		buf = append(buf, "/period="...)
		buf = strconv.AppendInt(buf, q.Period, 10)
	}
	if q.Noise != models.DefaultNoise {
		buf = append(buf, "/noise="...)
		buf = appendNumber(buf, q.Noise)
	}
	if q.Series != models.DefaultSeries {
		buf = append(buf, "/series="...)
		buf = strconv.AppendInt(buf, q.Series, 10)
	}
	if q.Labels != "" {
		buf = append(buf, "/labels="...)
		buf = appendText(buf, q.Labels)
	}
	if q.Alias != "" {
		buf = append(buf, "/alias="...)
		buf = appendText(buf, q.Alias)
	}
	buf = appendGaps(buf, q)
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
	if err := checkLength(path); err != nil {
		return models.Query{}, err
	}
	return parse(path)
}

// checkLength refuses a path longer than any channel id may be, before
// it is read: a path that long was not written by Format or
// FormatExemplars, which hash what does not fit.
func checkLength(path string) error {
	if len(path) > MaxIDLength {
		return fmt.Errorf("the channel path is %d characters long; no channel id may exceed %d", len(path), MaxIDLength)
	}
	return nil
}

// parse is Parse without the bound on the length, for a definition that
// a hashed path names (ParseHashed bounds it).
func parse(path string) (models.Query, error) {
	if path == "" {
		return models.Query{}, fmt.Errorf("the channel path is empty")
	}
	if i := strings.IndexFunc(path, isForbidden); i >= 0 {
		r, _ := utf8.DecodeRuneInString(path[i:])
		return models.Query{}, fmt.Errorf("channel path %q contains %q, which Grafana does not allow in a path", path, r)
	}
	segments := strings.Split(path, "/")
	if segments[0] != Version {
		return models.Query{}, fmt.Errorf("channel path %q has version %q; this plugin reads only %s", path, segments[0], Version)
	}
	if n := len(segments) - 1; n < len(keys) || n > len(keys)+len(optionalKeys) {
		return models.Query{}, fmt.Errorf("channel path %q has %d segments after the version, want %d to %d (%s)",
			path, n, len(keys), len(keys)+len(optionalKeys), layout())
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
	fields := models.DefaultFields()
	fields.TickInterval, fields.LowerLimit, fields.UpperLimit, fields.Seed = numbers[0], numbers[1], numbers[2], numbers[3]
	if err := parseOptional(path, segments[1+len(keys):], &fields); err != nil {
		return models.Query{}, err
	}
	q, errs := fields.Validate(models.WidestSettings())
	if errs != nil {
		return models.Query{}, fmt.Errorf("channel path %q does not describe a valid stream: %s", path, models.JoinMessages(errs))
	}
	if canonical := Format(q); canonical != path {
		return models.Query{}, fmt.Errorf("channel path %q is not canonical; the same stream's path is %q", path, canonical)
	}
	return q, nil
}

// parseOptional reads the optional segments into f: each a known key, at
// most once and in the order of optionalKeys. Whether a segment holds a
// default, or a period for a shape that has none, is left to the canonical
// check, which refuses both.
func parseOptional(path string, segments []string, f *models.Fields) error {
	next := 0 // the first of optionalKeys that may still come
	for _, segment := range segments {
		key, text, _ := strings.Cut(segment, "=")
		at := slices.Index(optionalKeys[:], key)
		switch {
		case at < 0:
			return fmt.Errorf("channel path %q has the unknown segment %q (%s)", path, segment, layout())
		case at < next:
			return fmt.Errorf("channel path %q has %q out of order or twice (%s)", path, segment, layout())
		}
		next = at + 1
		switch key {
		case "shape":
			f.Shape = text
			continue
		case "labels", "alias":
			decoded, err := parseText(text)
			if err != nil {
				return fmt.Errorf("channel path %q: %s=%q %w", path, key, text, err)
			}
			if key == "labels" {
				f.Labels = decoded
			} else {
				f.Alias = decoded
			}
			continue
		}
		if handled, err := parseGaps(path, key, text, f); handled {
			if err != nil {
				return err
			}
			continue
		}
		x, ok := jsnum.ParseNumber([]byte(text))
		if !ok {
			return fmt.Errorf("channel path %q: %s=%q is not a number", path, key, text)
		}
		switch key {
		case "period":
			f.Period = x
		case "noise":
			f.Noise = x
		case "series":
			f.Series = x
		}
	}
	return nil
}

// layout is the path pattern, for error messages.
func layout() string {
	return Version + "/t=<tickInterval>/lo=<lowerLimit>/hi=<upperLimit>/seed=<seed>" +
		"[/shape=<name>][/period=<ms>][/noise=<number>][/series=<number>][/labels=<text>][/alias=<text>]" +
		gapsLayout
}

// isForbidden reports whether Grafana refuses r in a channel path.
func isForbidden(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return false
	}
	return !strings.ContainsRune("_-/=.", r)
}
