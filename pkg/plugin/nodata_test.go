package plugin

import (
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/internal/alertread"
	"github.com/tickstream/streaming/pkg/channel"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

// readAsAlertRule reads frames as an alert rule does (alertread), and
// fails the test on frames that are no time series to alert on.
func readAsAlertRule(t *testing.T, frames data.Frames) alertread.Reading {
	t.Helper()
	r, err := alertread.Read(frames)
	if err != nil {
		t.Fatal(err)
	}
	if !r.NoData && !r.TimeSeries {
		t.Fatalf("frames of type %v are not a time series an alert rule reads", frames[0].Meta)
	}
	return r
}

// outageQuery has an outage of 30 s at the start of every minute.
const outageQuery = `"tickInterval":1000,"outagePeriod":60000,"outageDuration":30000`

// TestOutageIsNoDataToAlertRules is issue 21's defect: during an outage
// the response must read as No Data through grafana/dataplane, for every
// kind and any number of series, while a live range still points the
// panel at the stream; outside it the reader gives each series with its
// labels and the generator's points.
func TestOutageIsNoDataToAlertRules(t *testing.T) {
	minute := pinnedNow.Truncate(time.Minute)
	inOutage := minute.Add(25 * time.Second)    // 25 s into the 30 s outage
	afterOutage := minute.Add(45 * time.Second) // 15 s after it
	queries := []struct{ name, json string }{
		{"one series", `{` + outageQuery + `}`},
		{"three series", `{` + outageQuery + `,"series":3}`},
		{"labels", `{` + outageQuery + `,"series":2,"labels":"host=web-$seriesIndex"}`},
		{"nulls", `{` + outageQuery + `,"dropPercent":50}`},
		{"state", `{` + outageQuery + `,"kind":"state","states":"OK,WARN"}`},
		{"logs", `{` + outageQuery + `,"kind":"logs","series":2}`},
		// A definition too long for a channel id: the panel follows meta.custom.
		{"hashed stream", `{` + outageQuery + `,"labels":"note=` + strings.Repeat("x", 150) + `"}`},
	}
	for _, tc := range queries {
		t.Run(tc.name, func(t *testing.T) {
			d := newTestDatasource(t, `{}`)
			q, errs := models.ParseQuery([]byte(tc.json), d.settings)
			if errs != nil {
				t.Fatal(errs)
			}
			// An alert evaluation over the last 10 s, and a panel's live
			// range: both wholly inside the outage.
			d.now = func() time.Time { return inOutage }
			frame := queryFrame(t, d, tc.json, 0, inOutage.Add(-10*time.Second), inOutage)
			if got := readAsAlertRule(t, data.Frames{frame}); !got.NoData {
				t.Fatalf("inside the outage: read as %d series, want No Data", len(got.Series))
			}
			if want := newFramer(q).schema().Meta.Type; frame.Meta.Type != want {
				t.Errorf("No Data frame of type %q, want the query's type %q", frame.Meta.Type, want)
			}
			if stream := channel.ForQuery("tickstream", q); stream.Definition == "" {
				if frame.Meta.Channel != stream.ID {
					t.Errorf("No Data on a live range has meta.channel %q, want %q: the panel would not follow the stream", frame.Meta.Channel, stream.ID)
				}
			} else if want := (HashedStream{Channel: stream.ID, Definition: stream.Definition}); frame.Meta.Custom != want {
				t.Errorf("No Data on a live range has meta.custom %v, want %v: the panel would not follow the stream", frame.Meta.Custom, want)
			}

			// A history range that ends in the outage, not live: No Data too.
			d.now = func() time.Time { return inOutage.Add(time.Hour) }
			frame = queryFrame(t, d, tc.json, 0, inOutage.Add(-10*time.Second), inOutage)
			if !readAsAlertRule(t, data.Frames{frame}).NoData || frame.Meta.Channel != "" {
				t.Errorf("a past range inside an outage: fields %v, channel %q; want No Data without a channel", frame.Fields, frame.Meta.Channel)
			}

			// After the outage: the series and their points.
			d.now = func() time.Time { return afterOutage }
			frame = queryFrame(t, d, tc.json, 0, afterOutage.Add(-20*time.Second), afterOutage)
			if q.Kind != models.SignalNumber {
				if len(frame.Fields) == 0 || frame.Rows() == 0 {
					t.Fatalf("after the outage: %d fields, %d rows; want the %s rows", len(frame.Fields), frame.Rows(), q.Kind)
				}
				return // not a time series of numbers: alert rules do not read it
			}
			got := readAsAlertRule(t, data.Frames{frame})
			if got.NoData || int64(len(got.Series)) != q.Series {
				t.Fatalf("after the outage: No Data %v with %d series, want %d series", got.NoData, len(got.Series), q.Series)
			}
			gen, names := signal.New(q), q.Names()
			for i, ref := range got.Series {
				s := int64(i + 1)
				if q.Series > 1 || q.Labels != "" {
					if want := data.Labels(names.Labels(s)); ref.GetLabels().String() != want.String() {
						t.Errorf("series %d has labels %v, want %v", s, ref.ValueField.Labels, want)
					}
				}
				// Ticks 25 … 45 s past the minute; 30 … 45 are outside the outage.
				if n, err := ref.Len(); err != nil || n != 16 {
					t.Fatalf("series %d has %d points (%v), want the 16 ticks from 30 to 45 s", s, n, err)
				}
				for j := range 16 {
					tm, v, err := ref.NullableFloat64Point(j)
					if err != nil {
						t.Fatal(err)
					}
					if want := minute.Add(time.Duration(30+j) * time.Second); !tm.Equal(want) {
						t.Fatalf("series %d point %d at %v, want %v", s, j, tm, want)
					}
					k := tm.UnixMilli() / q.TickInterval
					switch {
					case gen.HasNulls() && gen.Dropped(s, k):
						if v != nil {
							t.Errorf("series %d at %v: %v, want null (dropped)", s, tm, *v)
						}
					case v == nil || *v != gen.Value(s, k):
						t.Errorf("series %d at %v: %v, want %v", s, tm, v, gen.Value(s, k))
					}
				}
			}
		})
	}
}
