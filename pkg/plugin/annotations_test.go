package plugin

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// annotationRow is one row of an annotations frame.
type annotationRow struct {
	time, timeEnd time.Time
	title, text   string
	tags          []string
}

// queryAnnotations runs an annotation query over [from, to) and returns
// its rows and notices, failing on an error or an unexpected frame.
func queryAnnotations(t *testing.T, queryJSON string, from, to time.Time) ([]annotationRow, []data.Notice) {
	t.Helper()
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "Anno", QueryType: "annotations", JSON: []byte(queryJSON), TimeRange: backend.TimeRange{From: from, To: to},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	r := resp.Responses["Anno"]
	if r.Error != nil || len(r.Frames) != 1 {
		t.Fatalf("response: error %v, %d frames; want one frame", r.Error, len(r.Frames))
	}
	f := r.Frames[0]
	names := make([]string, len(f.Fields))
	for i, field := range f.Fields {
		names[i] = field.Name
	}
	if strings.Join(names, ",") != "time,timeEnd,title,text,tags" || f.Meta == nil || f.Meta.DataTopic != data.DataTopicAnnotations {
		t.Fatalf("frame fields %v, meta %+v; want time,timeEnd,title,text,tags in the annotations topic", names, f.Meta)
	}
	rows := make([]annotationRow, f.Rows())
	for i := range rows {
		var tags []string
		if err := json.Unmarshal(f.Fields[4].At(i).(json.RawMessage), &tags); err != nil {
			t.Fatalf("row %d tags: %v", i, err)
		}
		rows[i] = annotationRow{
			time: f.Fields[0].At(i).(time.Time), timeEnd: f.Fields[1].At(i).(time.Time),
			title: f.Fields[2].At(i).(string), text: f.Fields[3].At(i).(string), tags: tags,
		}
	}
	return rows, f.Meta.Notices
}

func TestAnnotationsOutageRegions(t *testing.T) {
	from := time.UnixMilli(1_700_000_040_000).UTC() // a whole minute
	rows, notices := queryAnnotations(t, `{"outagePeriod":60000,"outageDuration":20000}`, from, from.Add(5*time.Minute))
	if len(rows) != 5 || notices != nil {
		t.Fatalf("%d rows, notices %v; want 5 regions and no notice", len(rows), notices)
	}
	for i, r := range rows {
		wantStart := from.Add(time.Duration(i) * time.Minute)
		if !r.time.Equal(wantStart) || r.timeEnd.Sub(r.time) != 20*time.Second {
			t.Errorf("region %d = %v … %v, want 20 s from %v", i, r.time, r.timeEnd, wantStart)
		}
		if r.title != "Outage" || !strings.Contains(r.text, "outageDuration 20000 ms") || strings.Join(r.tags, ",") != "outage" {
			t.Errorf("region %d = %+v", i, r)
		}
	}
}

func TestAnnotationsRegionOverlappingTheStart(t *testing.T) {
	// A range starting 10 s into an outage still shows that outage, whole.
	from := time.UnixMilli(1_700_000_040_000 + 10_000).UTC()
	rows, _ := queryAnnotations(t, `{"outagePeriod":60000,"outageDuration":20000}`, from, from.Add(time.Minute))
	if len(rows) != 2 || !rows[0].time.Equal(from.Add(-10*time.Second)) || !rows[0].timeEnd.Equal(from.Add(10*time.Second)) {
		t.Fatalf("rows %+v; want the outage begun 10 s before the range, then the next", rows)
	}
}

func TestAnnotationsEvents(t *testing.T) {
	from := time.UnixMilli(1_700_000_040_000).UTC() // divisible by 120000
	rows, _ := queryAnnotations(t, `{"eventPeriod":120000}`, from, from.Add(10*time.Minute))
	if len(rows) != 5 {
		t.Fatalf("%d events, want 5", len(rows))
	}
	for i, r := range rows {
		if want := from.Add(time.Duration(2*i) * time.Minute); !r.time.Equal(want) || !r.timeEnd.Equal(want) {
			t.Errorf("event %d at %v … %v, want a point at %v", i, r.time, r.timeEnd, want)
		}
		if r.title != "Tickstream event" || strings.Join(r.tags, ",") != "event" {
			t.Errorf("event %d = %+v", i, r)
		}
	}
}

func TestAnnotationsMergedTitledAndTagged(t *testing.T) {
	from := time.UnixMilli(1_700_000_040_000).UTC()
	rows, _ := queryAnnotations(t, `{"outagePeriod":60000,"outageDuration":20000,"eventPeriod":30000,"eventTitle":"deploy",
		"labels":"host=web-$seriesIndex, dc=eu"}`, from, from.Add(time.Minute))
	var got []string
	for _, r := range rows {
		got = append(got, r.time.Sub(from).String()+" "+r.title+" "+strings.Join(r.tags, "|"))
	}
	want := []string{"0s Outage outage|dc=eu|host=web-1", "0s deploy event|dc=eu|host=web-1", "30s deploy event|dc=eu|host=web-1"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("rows\n got %q\nwant %q", got, want)
	}
	several, _ := queryAnnotations(t, `{"eventPeriod":30000,"series":3,"labels":"host=web-$seriesIndex"}`, from, from.Add(time.Minute))
	if len(several) != 2 || strings.Join(several[0].tags, "|") != "event|host=web-$seriesIndex" {
		t.Errorf("several series: rows %+v; want the labels as written", several)
	}
}

func TestAnnotationsNoneWithoutOutagesOrEvents(t *testing.T) {
	rows, _ := queryAnnotations(t, `{"exemplars":3}`, pinnedNow.Add(-time.Hour), pinnedNow)
	if len(rows) != 0 {
		t.Errorf("%d rows, want none", len(rows))
	}
}

func TestAnnotationsCappedWithANotice(t *testing.T) {
	to := time.UnixMilli(1_700_000_040_000).UTC()
	rows, notices := queryAnnotations(t, `{"eventPeriod":1}`, to.Add(-time.Hour), to)
	if len(rows) != maxAnnotations || !rows[len(rows)-1].time.Equal(to.Add(-time.Millisecond)) {
		t.Fatalf("%d rows ending %v; want the latest %d", len(rows), rows[len(rows)-1].time, maxAnnotations)
	}
	if len(notices) != 1 || !strings.Contains(notices[0].Text, "3600000 events") || !strings.Contains(notices[0].Text, "raise eventPeriod") {
		t.Errorf("notices %+v; want one naming the count and eventPeriod", notices)
	}
}

func TestAnnotationsBadFieldIsAnError(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "Anno", QueryType: "annotations", JSON: []byte(`{"eventPeriod":-5}`),
		TimeRange: backend.TimeRange{From: pinnedNow.Add(-time.Hour), To: pinnedNow},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.Responses["Anno"]; r.Error == nil || !strings.HasPrefix(r.Error.Error(), "eventPeriod must be a whole number") {
		t.Errorf("error %v; want the eventPeriod message", r.Error)
	}
}

func TestAnnotationsFailureRegionsAreWhereQueriesFail(t *testing.T) {
	const query = `{"failPercent":40,"seed":3,"failMessage":"planned"}`
	from := time.UnixMilli(1_700_000_040_000).UTC()
	rows, _ := queryAnnotations(t, query, from, from.Add(time.Minute))
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	fails := func(end time.Time) bool {
		resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
			RefID: "A", JSON: []byte(query), TimeRange: backend.TimeRange{From: end.Add(-time.Minute), To: end},
		}}})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Responses["A"].Error != nil
	}
	inRegion := func(t0 time.Time) bool {
		for _, r := range rows {
			if !t0.Before(r.time) && t0.Before(r.timeEnd) {
				return true
			}
		}
		return false
	}
	failed := 0
	for s := range 60 {
		end := from.Add(time.Duration(s)*time.Second + 500*time.Millisecond)
		if fails(end) != inRegion(end) {
			t.Errorf("a query ending at %v fails: %v; inside a failure region: %v", end, fails(end), inRegion(end))
		}
		if inRegion(end) {
			failed++
		}
	}
	if failed == 0 || failed == 60 {
		t.Errorf("%d of 60 evaluation times fail at failPercent 40", failed)
	}
	for i, r := range rows {
		if r.title != "Query fails" || !strings.Contains(r.text, "planned") || r.tags[0] != "failure" {
			t.Errorf("region %d = %+v", i, r)
		}
		if i > 0 && !r.time.After(rows[i-1].timeEnd) {
			t.Errorf("regions %d and %d touch: runs of failing times are one region", i-1, i)
		}
	}
}
