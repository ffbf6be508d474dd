package plugin

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
	"github.com/tickstream/streaming/pkg/wire"
)

// maxAnnotations bounds each kind of annotation (outage regions, events)
// in one answer: a panel cannot show more, while a year of 2 ms outages
// would be billions. Beyond it the latest are kept and a notice says so.
const maxAnnotations = 10_000

// annotation is one row of the annotations frame: a region from time to
// timeEnd, or a point event where the two are equal.
type annotation struct {
	time, timeEnd int64 // Unix ms
	title, text   string
	tags          json.RawMessage
}

// annotations answers an annotation query (queryType annotations): every
// outage window of q that overlaps the range, as a region, and with
// eventPeriod a point event every eventPeriod ms on the epoch grid,
// sorted by time, in the fields time, timeEnd, title, text and tags that
// Grafana's annotation support maps by name. The range is half-open,
// [from, to), so that consecutive ranges share no annotation. Tags are
// the kind ("outage", "event") and q's labels (models.Query.LabelTags).
func annotations(dq backend.DataQuery, q models.Query, o models.Overlays) backend.DataResponse {
	from, to := ceilMs(dq.TimeRange.From), ceilMs(dq.TimeRange.To)
	labels := q.LabelTags()
	var rows []annotation
	var notices []data.Notice
	if q.HasOutages() {
		first := signal.FirstTickAtOrAfter(from-q.OutageDuration+1, q.OutagePeriod)
		last := signal.LastTickAtOrBefore(to-1, q.OutagePeriod)
		first, notice := capWindows(first, last, "outage windows", "outagePeriod")
		notices = append(notices, notice...)
		text := "No data for outageDuration " + strconv.FormatInt(q.OutageDuration, 10) + " ms of every outagePeriod " +
			strconv.FormatInt(q.OutagePeriod, 10) + " ms"
		tags := tagsJSON("outage", labels)
		for j := first; j <= last; j++ {
			start := j * q.OutagePeriod
			rows = append(rows, annotation{time: start, timeEnd: start + q.OutageDuration, title: "Outage", text: text, tags: tags})
		}
	}
	if o.EventPeriod > 0 {
		first := signal.FirstTickAtOrAfter(from, o.EventPeriod)
		last := signal.LastTickAtOrBefore(to-1, o.EventPeriod)
		first, notice := capWindows(first, last, "events", "eventPeriod")
		notices = append(notices, notice...)
		text := "An event every eventPeriod " + strconv.FormatInt(o.EventPeriod, 10) + " ms"
		tags := tagsJSON("event", labels)
		for j := first; j <= last; j++ {
			t := j * o.EventPeriod
			rows = append(rows, annotation{time: t, timeEnd: t, title: o.Title(), text: text, tags: tags})
		}
	}
	slices.SortStableFunc(rows, func(a, b annotation) int { return int(min(max(a.time-b.time, -1), 1)) })

	times := make([]time.Time, len(rows))
	ends := make([]time.Time, len(rows))
	titles := make([]string, len(rows))
	texts := make([]string, len(rows))
	tags := make([]json.RawMessage, len(rows))
	for i, r := range rows {
		times[i], ends[i] = time.UnixMilli(r.time).UTC(), time.UnixMilli(r.timeEnd).UTC()
		titles[i], texts[i], tags[i] = r.title, r.text, r.tags
	}
	frame := data.NewFrame("annotations",
		data.NewField("time", nil, times),
		data.NewField("timeEnd", nil, ends),
		data.NewField("title", nil, titles),
		data.NewField("text", nil, texts),
		data.NewField("tags", nil, tags),
	)
	frame.Meta = &data.FrameMeta{DataTopic: data.DataTopicAnnotations, Notices: notices}
	return backend.DataResponse{Frames: []*data.Frame{frame}}
}

// capWindows returns the first of the windows first … last to keep, at
// most maxAnnotations of them, the latest; and a notice naming the field
// to change when some are left out.
func capWindows(first, last int64, what, field string) (int64, []data.Notice) {
	n := last - first + 1
	if n <= maxAnnotations {
		return first, nil
	}
	return last - maxAnnotations + 1, []data.Notice{{
		Severity: data.NoticeSeverityWarning,
		Text: "the range holds " + strconv.FormatInt(n, 10) + " " + what + "; only the latest " + strconv.Itoa(maxAnnotations) +
			" are shown: shorten the range or raise " + field,
	}}
}

// tagsJSON is the JSON array of an annotation's tags: its kind, then the
// label tags. An array rather than Grafana's comma-separated text, since a
// label value may hold a comma.
func tagsJSON(kind string, labels []string) json.RawMessage {
	b := append([]byte{'['}, wire.AppendString(nil, kind)...)
	for _, tag := range labels {
		b = append(b, ',')
		b = wire.AppendString(b, tag)
	}
	return append(b, ']')
}
