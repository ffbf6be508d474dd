package host

import (
	"strings"
	"testing"
	"time"

	"github.com/grafana/dataplane/sdata/timeseries"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/internal/alertread"
)

// alertReading reads a refId's frames as an alert rule does (alertread);
// ok is false for frames that are no time series.
func alertReading(t *testing.T, frames data.Frames) (noData bool, refs []timeseries.MetricRef, ok bool) {
	t.Helper()
	r, err := alertread.Read(frames)
	if err != nil {
		t.Fatal(err)
	}
	return r.NoData, r.Series, r.TimeSeries
}

// TestAlertRuleReadsOutagesAsNoData is issue 21's defect through the
// executable: an alert evaluation inside an outage reads as No Data with
// the library Grafana uses, for every kind and series count; one that
// reaches past the outage reads as the query's series, labelled, with the
// same points as the query without outages.
func TestAlertRuleReadsOutagesAsNoData(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	const outage = `"outagePeriod":60000,"outageDuration":30000`
	now := time.Now().UnixMilli()
	minute := now - now%60000 - 60000 // the last whole minute: history, not live
	for _, tc := range []struct {
		name, fields string
		series       int
		labels       []string // series i's labels, as data.Labels prints them
	}{
		{"one series", `"tickInterval":1000`, 1, nil},
		{"three series", `"tickInterval":1000,"series":3`, 3, []string{`series=1`, `series=2`, `series=3`}},
		{"labels", `"tickInterval":500,"series":2,"labels":"host=web-$seriesIndex, dc=eu"`, 2, []string{`dc=eu, host=web-1`, `dc=eu, host=web-2`}},
		{"nulls", `"tickInterval":1000,"dropPercent":30`, 1, nil},
		{"state", `"tickInterval":1000,"kind":"state","states":"OK,WARN"`, 0, nil},
		{"logs", `"tickInterval":1000,"kind":"logs","series":2`, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			withOutage := []byte(`{` + tc.fields + `,` + outage + `}`)
			without := []byte(`{` + tc.fields + `}`)
			// Every 10 s over the last 10 s, as a rule's scheduler asks.
			res, err := p.QueryDataWithHeaders(ctxFor(t, 30*time.Second), defaultDS(), FromAlertHeaders(),
				Query{RefID: "IN", JSON: withOutage, From: msTime(minute + 15000), To: msTime(minute + 25000)},
				Query{RefID: "ACROSS", JSON: withOutage, From: msTime(minute + 25000), To: msTime(minute + 35000)},
				Query{RefID: "PLAIN", JSON: without, From: msTime(minute + 25000), To: msTime(minute + 35000)})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res {
				if r.Error != "" || len(r.Frames) != 1 {
					t.Fatalf("error %q, %d frames", r.Error, len(r.Frames))
				}
			}
			if noData, refs, _ := alertReading(t, res["IN"].Frames); !noData {
				t.Fatalf("inside the outage: %d series, want No Data", len(refs))
			}
			noData, refs, ok := alertReading(t, res["ACROSS"].Frames)
			if !ok { // states and log lines: not numbers to alert on, but rows to show
				if noData || res["ACROSS"].Frames[0].Rows() == 0 {
					t.Fatal("past the outage: no rows")
				}
				return
			}
			_, plain, _ := alertReading(t, res["PLAIN"].Frames)
			if noData || len(refs) != tc.series || len(plain) != tc.series {
				t.Fatalf("past the outage: No Data %v, %d series (%d without outages); want %d", noData, len(refs), len(plain), tc.series)
			}
			for i, ref := range refs {
				if tc.labels != nil && ref.GetLabels().String() != tc.labels[i] {
					t.Errorf("series %d: labels %q, want %q", i+1, ref.GetLabels().String(), tc.labels[i])
				}
				n, _ := ref.Len()
				pn, _ := plain[i].Len()
				var kept []string
				for j := range pn { // the plain query's points from 30 s on are the outage query's
					tm, v, err := plain[i].NullableFloat64Point(j)
					if err != nil {
						t.Fatal(err)
					}
					if tm.UnixMilli() >= minute+30000 {
						kept = append(kept, pointText(tm, v))
					}
				}
				var got []string
				for j := range n {
					tm, v, err := ref.NullableFloat64Point(j)
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, pointText(tm, v))
				}
				if len(kept) == 0 || strings.Join(got, " ") != strings.Join(kept, " ") {
					t.Errorf("series %d past the outage:\n got %v\nwant %v", i+1, got, kept)
				}
			}
		})
	}
}

// pointText is a point as exact text, "null" for a null value.
func pointText(tm time.Time, v *float64) string {
	if v == nil {
		return tm.UTC().Format(time.RFC3339Nano) + "=null"
	}
	return tm.UTC().Format(time.RFC3339Nano) + "=" + cellText(data.NewField("", nil, []float64{*v}), 0)
}
