package channel

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tickstream/streaming/pkg/models"
)

// An exemplar channel carries the exemplars of a query's stream, live: the
// stream's canonical path, then the exemplar definition, each part only
// in its one spelling:
//
//	<stream path>/ex=<every>[/exurl=<text>]
//
// every is the period of the exemplars in ticks (they sit on the ticks k
// divisible by every, as in QueryData's exemplar frame), exurl the
// exemplarUrl that the schema puts on the traceID field, as labels and
// alias are written. A stream path has no segment "ex", so a path is
// one or the other. One that does not fit a channel id is hashed as a
// stream's is (hashed.go); the definition then tells which it names.

// exemplarsSegment starts the exemplar definition within a path.
const exemplarsSegment = "/ex="

// exemplarURLSegment starts the exemplarUrl segment.
const exemplarURLSegment = "/exurl="

// MaxExemplarSpanMs bounds every × tickInterval, the time between two
// exemplar ticks: 2^55 ms, more than twice the ECMAScript time range
// (±8.64e15 ms), which bounds what QueryData can compute from a range, and
// small enough that a tick time a period past now fits an int64.
const MaxExemplarSpanMs = 1 << 55

// Exemplars is the exemplar definition of an exemplar channel; the zero
// value means a stream's channel, not an exemplar channel.
type Exemplars struct {
	// Every is the period in ticks: the exemplars sit on the ticks k
	// divisible by Every.
	Every int64
	// URL is the exemplarUrl of the traceID field's data link; "" for
	// none.
	URL string
}

// MaxExemplarEvery is the largest Every for a query of tickInterval ms.
func MaxExemplarEvery(tickInterval int64) int64 {
	return MaxExemplarSpanMs / tickInterval
}

// FormatExemplars returns the canonical path of the exemplars e of the
// valid query q.
func FormatExemplars(q models.Query, e Exemplars) string {
	buf := []byte(Format(q))
	buf = append(buf, exemplarsSegment...)
	buf = strconv.AppendInt(buf, e.Every, 10)
	if e.URL != "" {
		buf = append(buf, exemplarURLSegment...)
		buf = appendText(buf, e.URL)
	}
	return string(buf)
}

// ForExemplars names the exemplar channel of e and the valid query q for
// the data source uid, as ForQuery names its stream: the canonical path,
// or its hash when the channel id would not fit.
func ForExemplars(uid string, q models.Query, e Exemplars) Stream {
	return forDefinition(uid, FormatExemplars(q, e))
}

// IsExemplars reports whether the canonical (not hashed) path names an
// exemplar channel rather than a stream.
func IsExemplars(path string) bool {
	return strings.Contains(path, exemplarsSegment)
}

// ParseExemplars reads a path written by FormatExemplars, refusing what
// Parse refuses in its stream part and any exemplar definition that is not
// canonical, whose Every is not from 1 to MaxExemplarEvery, whose URL
// breaks the query rules of exemplarUrl (DEVELOPERS.md rule 44), or whose
// query's kind has no numbers for exemplars to sit on (rule 43).
func ParseExemplars(path string) (models.Query, Exemplars, error) {
	if err := checkLength(path); err != nil {
		return models.Query{}, Exemplars{}, err
	}
	return parseExemplars(path)
}

// parseExemplars is ParseExemplars without the bound on the length.
func parseExemplars(path string) (models.Query, Exemplars, error) {
	streamPath, definition, found := strings.Cut(path, exemplarsSegment)
	if !found {
		return models.Query{}, Exemplars{}, fmt.Errorf("channel path %q has no %s segment of an exemplar channel", path, exemplarsSegment[1:])
	}
	q, err := parse(streamPath)
	if err != nil {
		return models.Query{}, Exemplars{}, fmt.Errorf("exemplar channel path %q: %w", path, err)
	}
	if q.Kind != models.SignalNumber {
		return models.Query{}, Exemplars{}, fmt.Errorf("exemplar channel path %q has kind %s, which has no numbers for exemplars to sit on", path, q.Kind)
	}
	everyText, urlText, hasURL := strings.Cut(definition, exemplarURLSegment)
	var e Exemplars
	if e.Every, err = strconv.ParseInt(everyText, 10, 64); err != nil || e.Every < 1 || e.Every > MaxExemplarEvery(q.TickInterval) {
		return models.Query{}, Exemplars{}, fmt.Errorf("exemplar channel path %q: ex=%q is not a whole number of ticks from 1 to %d", path, everyText,
			MaxExemplarEvery(q.TickInterval))
	}
	if hasURL {
		if e.URL, err = parseText(urlText); err != nil {
			return models.Query{}, Exemplars{}, fmt.Errorf("exemplar channel path %q: exurl=%q %w", path, urlText, err)
		}
		if n := utf8.RuneCountInString(e.URL); n > models.MaxExemplarURLLength || !strings.Contains(e.URL, models.ExemplarURLPlaceholder) {
			return models.Query{}, Exemplars{}, fmt.Errorf("exemplar channel path %q: exurl is no exemplarUrl (at most %d characters holding %s)", path,
				models.MaxExemplarURLLength, models.ExemplarURLPlaceholder)
		}
	}
	if canonical := FormatExemplars(q, e); canonical != path {
		return models.Query{}, Exemplars{}, fmt.Errorf("exemplar channel path %q is not canonical; the same exemplars' path is %q", path, canonical)
	}
	return q, e, nil
}

// ParseAny reads a canonical path (not hashed) of either kind: a stream's
// (e is the zero Exemplars) or an exemplar channel's.
func ParseAny(path string) (models.Query, Exemplars, error) {
	if err := checkLength(path); err != nil {
		return models.Query{}, Exemplars{}, err
	}
	return parseAnyDefinition(path)
}

// parseAnyDefinition is ParseAny without the bound on the length, for the
// definition of a hashed path.
func parseAnyDefinition(definition string) (models.Query, Exemplars, error) {
	if IsExemplars(definition) {
		return parseExemplars(definition)
	}
	q, err := parse(definition)
	return q, Exemplars{}, err
}
