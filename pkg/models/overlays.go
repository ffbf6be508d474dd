package models

import (
	"encoding/json"
	"strings"
)

// Overlays are the fields of a query that draw on a panel besides its
// series: annotation events and exemplars (DEVELOPERS.md rules 40 to 44).
// They are not part of the stream: the channel path leaves them out and
// Query does not hold them, so that two Queries still describe the same
// stream exactly when they are equal and a subscriber's data that carries
// them still matches its path. Only QueryData reads them.
type Overlays struct {
	// EventPeriod puts a point event every EventPeriod ms on the epoch
	// grid into the query's annotations; 0 for none.
	EventPeriod int64 `json:"eventPeriod"`
	// EventTitle is the title of those events; "" for DefaultEventTitle.
	EventTitle string `json:"eventTitle"`
	// Exemplars is how many exemplars each series gets in a range, at
	// most; 0 for none.
	Exemplars int64 `json:"exemplars"`
	// ExemplarURL is the data link of each exemplar's traceID, a URL
	// template holding ExemplarURLPlaceholder; "" for none.
	ExemplarURL string `json:"exemplarUrl"`
}

// The query types of what QueryData answers besides a query's series.
const (
	// QueryTypeAnnotations is the queryType of an annotation query: the
	// query's outage windows as regions and its events.
	QueryTypeAnnotations = "annotations"
	// QueryTypeLogsVolume is the queryType of Explore's logs volume for a
	// query of kind logs: its lines counted per level and interval.
	QueryTypeLogsVolume = "logsVolume"
)

// Bounds and defaults of the overlay fields.
const (
	// MaxEventPeriod is the longest eventPeriod: 365 days in ms, as the
	// outages' period.
	MaxEventPeriod = 31_536_000_000
	// MaxEventTitleLength bounds eventTitle, in characters, as alias.
	MaxEventTitleLength = 200
	// MaxExemplars is the most exemplars per series and range: more would
	// hide the series under its markers.
	MaxExemplars = 100
	// MaxExemplarURLLength bounds exemplarUrl, in characters: longer than
	// any trace URL, short of what browsers refuse.
	MaxExemplarURLLength = 2000
	// DefaultEventTitle is the title of the events of a query that sets no
	// eventTitle.
	DefaultEventTitle = "Tickstream event"
	// ExemplarURLPlaceholder is Grafana's data link variable for the raw
	// value of the field the link is on: the trace ID.
	ExemplarURLPlaceholder = "${__value.raw}"
)

// Title returns the title of o's events: EventTitle, or DefaultEventTitle
// when it is "".
func (o Overlays) Title() string {
	if o.EventTitle == "" {
		return DefaultEventTitle
	}
	return o.EventTitle
}

// overlayInputs are the fields of rules 40 to 44 as received.
type overlayInputs struct {
	eventPeriod, exemplars  input
	eventTitle, exemplarURL stringValue
}

// defaultOverlayInputs are the overlay fields of a query that sets none,
// such as a channel path describes.
func defaultOverlayInputs() overlayInputs {
	return overlayInputs{
		eventPeriod: numberInput(0), exemplars: numberInput(0),
		eventTitle: stringInput(""), exemplarURL: stringInput(""),
	}
}

// readOverlays reads the overlay fields of a query's JSON object.
func readOverlays(fields map[string]json.RawMessage) overlayInputs {
	return overlayInputs{
		eventPeriod: readField(fields, "eventPeriod", 0),
		eventTitle:  readStringField(fields, "eventTitle", ""),
		exemplars:   readField(fields, "exemplars", 0),
		exemplarURL: readStringField(fields, "exemplarUrl", ""),
	}
}

// validateOverlays applies rules 40 to 44 of DEVELOPERS.md. kind is the
// query's kind when kindValid (rule 26 passed): exemplars sit on numbers,
// so the other kinds refuse them.
func validateOverlays(in overlayInputs, kind SignalKind, kindValid bool, add func(field string, kind Kind, message string)) Overlays {
	var o Overlays
	// Rule 40.
	if in.eventPeriod.isWholeIn(0, MaxEventPeriod) {
		o.EventPeriod = int64(in.eventPeriod.number)
	} else {
		add("eventPeriod", KindInvalid, "eventPeriod must be a whole number of milliseconds from 0 (no events) to 31536000000 (365 days); got "+in.eventPeriod.got)
	}
	// Rule 41.
	if problem := textProblem("eventTitle", in.eventTitle, MaxEventTitleLength); problem != "" {
		add("eventTitle", KindInvalid, problem)
	} else {
		o.EventTitle = in.eventTitle.text
	}
	// Rules 42 and 43.
	switch {
	case !in.exemplars.isWholeIn(0, MaxExemplars):
		add("exemplars", KindInvalid, "exemplars must be a whole number from 0 (none) to 100 per series; got "+in.exemplars.got)
	case in.exemplars.number > 0 && kindValid && kind != SignalNumber:
		add("exemplars", KindInvalid, "exemplars sit on a series' numbers, and kind "+string(kind)+" has none: remove exemplars or choose kind number; got exemplars "+
			in.exemplars.got+" with kind "+string(kind))
	default:
		o.Exemplars = int64(in.exemplars.number)
	}
	// Rule 44.
	if problem := textProblem("exemplarUrl", in.exemplarURL, MaxExemplarURLLength); problem != "" {
		add("exemplarUrl", KindInvalid, problem)
	} else if text := in.exemplarURL.text; text != "" && !strings.Contains(text, ExemplarURLPlaceholder) {
		add("exemplarUrl", KindInvalid, "exemplarUrl must hold "+ExemplarURLPlaceholder+" where the trace ID goes, e.g. https://tempo.example.com/trace/"+
			ExemplarURLPlaceholder+"; got a string without it")
	} else {
		o.ExemplarURL = text
	}
	return o
}

// LabelTags returns the valid query q's labels as annotation tags, one
// key=value per label in key order: series 1's labels when q has one
// series, the labels as written ($seriesIndex kept) when it has several,
// since an annotation belongs to all of them and 10000 series' worth of
// tags would swamp it. None when q sets no labels.
func (q Query) LabelTags() []string {
	pairs, _ := parseLabels(q.Labels) // valid: no problem
	tags := make([]string, 0, len(pairs))
	for _, p := range pairs {
		value := p.Value
		if q.Series == 1 {
			value = strings.ReplaceAll(value, SeriesIndex, "1")
		}
		tags = append(tags, p.Key+"="+value)
	}
	return tags // canonical labels are in key order
}
