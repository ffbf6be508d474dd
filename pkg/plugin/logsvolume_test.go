package plugin

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// queryVolume runs a logs volume query and returns its response.
func queryVolume(t *testing.T, d *Datasource, queryJSON string, interval time.Duration, from, to time.Time) backend.DataResponse {
	t.Helper()
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "log-volume-A", QueryType: "logsVolume", JSON: []byte(queryJSON), Interval: interval, MaxDataPoints: 1000,
		TimeRange: backend.TimeRange{From: from, To: to},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Responses["log-volume-A"]
}

func TestLogsVolumeCountsTheLines(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	from, to := pinnedNow.Add(-10*time.Minute), pinnedNow.Add(-time.Minute) // history, not live
	query := `{"kind":"logs","series":3,"dropPercent":20,"outagePeriod":120000,"outageDuration":30000}`
	lines := queryFrame(t, d, query, 100_000, from, to)
	// Count the lines the logs frame shows, per level and 30 s bar.
	want := map[string]map[int64]float64{}
	for row := range lines.Rows() {
		level := lines.Fields[2].At(row).(string)
		bar := lines.Fields[0].At(row).(time.Time).UnixMilli() / 30_000 * 30_000
		if want[level] == nil {
			want[level] = map[int64]float64{}
		}
		want[level][bar]++
	}
	r := queryVolume(t, d, query, 30*time.Second, from, to)
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	if len(r.Frames) != len(want) {
		t.Fatalf("%d level frames, want %d", len(r.Frames), len(want))
	}
	total := 0.0
	for _, f := range r.Frames {
		level := f.Fields[1].Labels["level"]
		if f.Fields[0].Name != "time" || f.Fields[1].Name != "value" || want[level] == nil {
			t.Fatalf("frame fields %v labels %v", f.Fields, f.Fields[1].Labels)
		}
		for row := range f.Rows() {
			bar := f.Fields[0].At(row).(time.Time).UnixMilli()
			got := f.Fields[1].At(row).(float64)
			if got != want[level][bar] {
				t.Errorf("%s at %d: %v lines, the logs show %v", level, bar, got, want[level][bar])
			}
			total += got
		}
	}
	if total != float64(lines.Rows()) || total == 0 {
		t.Errorf("the volume counts %v lines, the logs frame has %d", total, lines.Rows())
	}
}

func TestLogsVolumeRefusals(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	tests := []struct{ name, query, want string }{
		{"not logs", `{}`, "queryType logsVolume counts log lines, and kind number has none: set kind to logs"},
		{"too many lines", `{"kind":"logs","tickInterval":10,"series":100}`, "shorten the range, raise tickInterval or lower series"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := queryVolume(t, d, tt.query, time.Minute, pinnedNow.Add(-24*time.Hour), pinnedNow)
			if r.Error == nil || !strings.Contains(r.Error.Error(), tt.want) || r.ErrorSource != backend.ErrorSourceDownstream {
				t.Errorf("error %v (%s); want a downstream error with %q", r.Error, r.ErrorSource, tt.want)
			}
		})
	}
}

func TestLogsVolumeBarsAreBounded(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	r := queryVolume(t, d, `{"kind":"logs"}`, time.Millisecond, pinnedNow.Add(-24*time.Hour), pinnedNow)
	if r.Error != nil || len(r.Frames) == 0 {
		t.Fatalf("error %v, %d frames", r.Error, len(r.Frames))
	}
	if n := r.Frames[0].Rows(); n > 1001 {
		t.Errorf("%d bars for maxDataPoints 1000", n)
	}
}
