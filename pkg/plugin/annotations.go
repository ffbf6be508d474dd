package plugin

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/jsnum"
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

// maxFailureTicks bounds the evaluation times one answer looks at for
// failures: one hash each, a few milliseconds. Beyond it the latest are
// looked at and a notice says so.
const maxFailureTicks = 1_000_000

// annotations answers an annotation query (queryType annotations): every
// outage window of q that overlaps the range, as a region; with
// failPercent, every run of evaluation times at which a data query of q
// fails (signal.EvaluationFails: a query whose range ends in such a
// region gets its failMessage), as a region; and with eventPeriod a point
// event every eventPeriod ms on the epoch grid. All sorted by time, in the
// fields time, timeEnd, title, text and tags that Grafana's annotation
// support maps by name. The range is half-open, [from, to), so that
// consecutive ranges share no annotation. Tags are the kind ("outage",
// "failure", "event") and q's labels (models.Query.LabelTags).
func annotations(dq backend.DataQuery, q models.Query, f models.Faults, o models.Overlays) backend.DataResponse {
	from, to := ceilMs(dq.TimeRange.From), ceilMs(dq.TimeRange.To)
	labels := q.LabelTags()
	var rows []annotation
	var notices []data.Notice
	if q.HasOutages() {
		first := signal.FirstTickAtOrAfter(from-q.OutageDuration+1, q.OutagePeriod)
		last := signal.LastTickAtOrBefore(to-1, q.OutagePeriod)
		first, notice := capWindows(first, last, "outage windows", "outagePeriod", maxAnnotations)
		notices = append(notices, notice...)
		text := "No data for outageDuration " + strconv.FormatInt(q.OutageDuration, 10) + " ms of every outagePeriod " +
			strconv.FormatInt(q.OutagePeriod, 10) + " ms"
		tags := tagsJSON("outage", labels)
		for j := first; j <= last; j++ {
			start := j * q.OutagePeriod
			rows = append(rows, annotation{time: start, timeEnd: start + q.OutageDuration, title: "Outage", text: text, tags: tags})
		}
	}
	if f.Fails() {
		failures, notice := failureRegions(q, f, from, to, labels)
		rows = append(rows, failures...)
		notices = append(notices, notice...)
	}
	if o.EventPeriod > 0 {
		first := signal.FirstTickAtOrAfter(from, o.EventPeriod)
		last := signal.LastTickAtOrBefore(to-1, o.EventPeriod)
		first, notice := capWindows(first, last, "events", "eventPeriod", maxAnnotations)
		notices = append(notices, notice...)
		text := "An event every eventPeriod " + strconv.FormatInt(o.EventPeriod, 10) + " ms"
		tags := tagsJSON("event", labels)
		for j := first; j <= last; j++ {
			t := j * o.EventPeriod
			rows = append(rows, annotation{time: t, timeEnd: t, title: o.Title(), text: text, tags: tags})
		}
	}
	slices.SortStableFunc(rows, func(a, b annotation) int { return cmp.Compare(a.time, b.time) })

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

// failureRegions returns the runs of evaluation times in [from, to) at
// which q fails, each a region from its first evaluation time to the end
// of its last (evaluation time k covers the range ends k × tickInterval
// to (k + 1) × tickInterval − 1 ms), the latest maxAnnotations of them;
// and a notice when some were left out.
func failureRegions(q models.Query, f models.Faults, from, to int64, labels []string) ([]annotation, []data.Notice) {
	first, last := signal.EvaluationTick(from, q.TickInterval), signal.EvaluationTick(to-1, q.TickInterval)
	first, notices := capWindows(first, last, "evaluation times", "tickInterval", maxFailureTicks)
	text := "A query whose range ends here fails (failPercent " + jsnum.Format(f.FailPercent) + "): " + f.Message()
	tags := tagsJSON("failure", labels)
	var rows []annotation
	for k := first; k <= last; k++ {
		if !signal.EvaluationFails(q, f, k) {
			continue
		}
		end := k
		for end < last && signal.EvaluationFails(q, f, end+1) {
			end++
		}
		rows = append(rows, annotation{time: k * q.TickInterval, timeEnd: (end + 1) * q.TickInterval, title: "Query fails", text: text, tags: tags})
		k = end
	}
	if n := len(rows); n > maxAnnotations {
		notices = append(notices, data.Notice{
			Severity: data.NoticeSeverityWarning,
			Text: "the range holds " + strconv.Itoa(n) + " runs of failing evaluation times; only the latest " + strconv.Itoa(maxAnnotations) +
				" are shown: shorten the range or lower failPercent",
		})
		rows = rows[n-maxAnnotations:]
	}
	return rows, notices
}

// capWindows returns the first of the windows first … last to keep, at
// most limit of them, the latest; and a notice naming the field
// to change when some are left out.
func capWindows(first, last int64, what, field string, limit int64) (int64, []data.Notice) {
	n := last - first + 1
	if n <= limit {
		return first, nil
	}
	return last - limit + 1, []data.Notice{{
		Severity: data.NoticeSeverityWarning,
		Text: "the range holds " + strconv.FormatInt(n, 10) + " " + what + "; only the latest " + strconv.FormatInt(limit, 10) +
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
