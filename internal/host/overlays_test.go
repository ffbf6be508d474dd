package host

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Issue 21's annotations, exemplars and logs volume through the
// executable, as Grafana's annotation support, a time series panel and
// Explore call them.

// TestAnnotationsThroughThePlugin: an annotation query over 5 minutes
// with outagePeriod 60000 and outageDuration 20000 gives 5 regions of
// 20 s on the epoch grid, and eventPeriod 120000 over 10 minutes 5 point
// events, in the fields Grafana's annotation support maps by name.
func TestAnnotationsThroughThePlugin(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	from := (time.Now().UnixMilli() - 3_600_000) / 600_000 * 600_000 // on the 10-minute grid
	res, err := p.QueryData(ctxFor(t, 30*time.Second), defaultDS(),
		Query{RefID: "OUT", QueryType: "annotations", JSON: []byte(`{"outagePeriod":60000,"outageDuration":20000,"labels":"host=a"}`),
			From: msTime(from), To: msTime(from + 300_000)},
		Query{RefID: "EV", QueryType: "annotations", JSON: []byte(`{"eventPeriod":120000,"eventTitle":"deploy"}`),
			From: msTime(from), To: msTime(from + 600_000)})
	if err != nil {
		t.Fatal(err)
	}
	check := func(refID string, n int, every, length int64, title, tags string) {
		r := res[refID]
		if r.Error != "" || len(r.Frames) != 1 {
			t.Fatalf("%s: error %q, %d frames", refID, r.Error, len(r.Frames))
		}
		f := r.Frames[0]
		var names []string
		for _, field := range f.Fields {
			names = append(names, field.Name)
		}
		if strings.Join(names, ",") != "time,timeEnd,title,text,tags" || f.Meta == nil || f.Meta.DataTopic != data.DataTopicAnnotations {
			t.Fatalf("%s: fields %v, meta %+v", refID, names, f.Meta)
		}
		if f.Rows() != n {
			t.Fatalf("%s: %d annotations, want %d", refID, f.Rows(), n)
		}
		for i := range n {
			start := f.Fields[0].At(i).(time.Time).UnixMilli()
			end := f.Fields[1].At(i).(time.Time).UnixMilli()
			var got []string
			if err := json.Unmarshal(f.Fields[4].At(i).(json.RawMessage), &got); err != nil {
				t.Fatal(err)
			}
			if start != from+int64(i)*every || end-start != length || f.Fields[2].At(i) != title || strings.Join(got, ",") != tags {
				t.Errorf("%s row %d: %d … %d %q %v; want %d … +%d %q %s", refID, i, start, end, f.Fields[2].At(i), got, from+int64(i)*every, length, title, tags)
			}
		}
	}
	check("OUT", 5, 60_000, 20_000, "Outage", "outage,host=a")
	check("EV", 5, 120_000, 0, "deploy", "event")
}

var traceID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// TestExemplarsThroughThePlugin: exemplars 5 gives a second frame named
// exemplar whose rows are points of their series (same time, same value,
// same labels), the same on every call and in another plugin process,
// with the exemplarUrl link on traceID.
func TestExemplarsThroughThePlugin(t *testing.T) {
	t.Parallel()
	p, other := startPlugin(t), startPlugin(t)
	end := (time.Now().UnixMilli() - 600_000) / 1000 * 1000
	q := Query{RefID: "A", JSON: []byte(`{"exemplars":5,"series":2,"labels":"host=web-$seriesIndex","shape":"walk","dropPercent":10,
		"exemplarUrl":"https://tempo.example.com/trace/${__value.raw}"}`), From: msTime(end - 300_000), To: msTime(end), MaxDataPoints: 1000}
	var first data.Frames
	for i, plugin := range []*Plugin{p, p, other} {
		res, err := plugin.QueryData(ctxFor(t, 30*time.Second), defaultDS(), q)
		if err != nil {
			t.Fatal(err)
		}
		r := res["A"]
		if r.Error != "" || len(r.Frames) != 2 {
			t.Fatalf("call %d: error %q, %d frames; want the series and the exemplars", i, r.Error, len(r.Frames))
		}
		if i == 0 {
			first = r.Frames
		} else if !reflect.DeepEqual(r.Frames[1], first[1]) {
			t.Fatalf("call %d gave other exemplars than the first", i)
		}
	}
	series, ex := first[0], first[1]
	if ex.Name != "exemplar" || ex.Meta == nil || ex.Meta.DataTopic != data.DataTopicAnnotations || ex.Rows() == 0 || ex.Rows() > 10 {
		t.Fatalf("exemplar frame %q, meta %+v, %d rows; want 1 to 10 rows in the annotations topic", ex.Name, ex.Meta, ex.Rows())
	}
	if cfg := ex.Fields[2].Config; ex.Fields[2].Name != "traceID" || cfg == nil || len(cfg.Links) != 1 ||
		cfg.Links[0].URL != "https://tempo.example.com/trace/${__value.raw}" {
		t.Fatalf("traceID field %q, config %+v", ex.Fields[2].Name, cfg)
	}
	host, _ := ex.FieldByName("host")
	if host == nil {
		t.Fatal("the exemplar frame has no host label field")
	}
	for row := range ex.Rows() {
		at := ex.Fields[0].At(row).(time.Time)
		value := ex.Fields[1].At(row).(float64)
		if id := ex.Fields[2].At(row).(string); !traceID.MatchString(id) {
			t.Errorf("row %d traceID %q", row, id)
		}
		found := false
		for _, field := range series.Fields[1:] {
			if field.Labels["host"] != host.At(row).(string) {
				continue
			}
			for r := range series.Rows() {
				if v, ok := field.ConcreteAt(r); ok && series.Fields[0].At(r).(time.Time).Equal(at) && v.(float64) == value {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("exemplar %d (%v, %v, %s) is no point of its series", row, at, value, host.At(row))
		}
	}
}

// TestLogsVolumeThroughThePlugin: Explore's logs volume of a logs query
// counts per level and bar exactly the lines the logs query returns.
func TestLogsVolumeThroughThePlugin(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	end := (time.Now().UnixMilli() - 600_000) / 60_000 * 60_000
	const logs = `{"kind":"logs","series":2,"dropPercent":15}`
	res, err := p.QueryData(ctxFor(t, 30*time.Second), defaultDS(),
		Query{RefID: "A", JSON: []byte(logs), From: msTime(end - 600_000), To: msTime(end - 1), MaxDataPoints: 10_000},
		Query{RefID: "log-volume-A", QueryType: "logsVolume", JSON: []byte(logs), From: msTime(end - 600_000), To: msTime(end - 1),
			Interval: time.Minute, MaxDataPoints: 1000})
	if err != nil {
		t.Fatal(err)
	}
	lines, volume := res["A"], res["log-volume-A"]
	if lines.Error != "" || volume.Error != "" || len(lines.Frames) != 1 || len(volume.Frames) == 0 {
		t.Fatalf("errors %q %q, %d and %d frames", lines.Error, volume.Error, len(lines.Frames), len(volume.Frames))
	}
	want := map[string]float64{}
	lf := lines.Frames[0]
	severity, _ := lf.FieldByName("severity")
	for row := range lf.Rows() {
		bar := lf.Fields[0].At(row).(time.Time).UnixMilli() / 60_000 * 60_000
		want[severity.At(row).(string)+"@"+time.UnixMilli(bar).UTC().Format(time.TimeOnly)]++
	}
	got := map[string]float64{}
	for _, f := range volume.Frames {
		level := f.Fields[1].Labels["level"]
		for row := range f.Rows() {
			if n := f.Fields[1].At(row).(float64); n > 0 {
				got[level+"@"+f.Fields[0].At(row).(time.Time).UTC().Format(time.TimeOnly)] = n
			}
		}
	}
	if !reflect.DeepEqual(got, want) || len(want) == 0 {
		t.Errorf("logs volume\n got %v\nwant %v", got, want)
	}
}
