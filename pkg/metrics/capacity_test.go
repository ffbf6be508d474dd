package metrics

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestTrackCapacity: a tracked data source's use and caps are exported
// under its uid, its newest instance's when an instance replaced another,
// and nothing once untracked.
func TestTrackCapacity(t *testing.T) {
	use := Capacity{Streams: 3, MaxStreams: 100, PointsPerSecond: 2.5, MaxPointsPerSecond: 5000}
	stopOld := TrackCapacity("capacity-test", func() Capacity { return Capacity{Streams: 99, MaxStreams: 1} })
	stop := TrackCapacity("capacity-test", func() Capacity { return use })
	want := `
# HELP tickstream_streams Streams a data source runs now, with those a subscription has reserved and RunStream has not started yet; compare with tickstream_streams_limit.
# TYPE tickstream_streams gauge
tickstream_streams{datasource="capacity-test"} 3
# HELP tickstream_streams_limit A data source's maxStreams: the most streams it runs at once.
# TYPE tickstream_streams_limit gauge
tickstream_streams_limit{datasource="capacity-test"} 100
# HELP tickstream_stream_points_per_second Points per second (series × ticks) a data source's streams make together, as tickstream_streams counts them; compare with tickstream_stream_points_per_second_limit.
# TYPE tickstream_stream_points_per_second gauge
tickstream_stream_points_per_second{datasource="capacity-test"} 2.5
# HELP tickstream_stream_points_per_second_limit A data source's maxTotalPointsPerSecond: the most points per second its streams make together.
# TYPE tickstream_stream_points_per_second_limit gauge
tickstream_stream_points_per_second_limit{datasource="capacity-test"} 5000
`
	if err := testutil.CollectAndCompare(tracked, strings.NewReader(want)); err != nil {
		t.Fatal(err)
	}
	if problems, err := testutil.CollectAndLint(tracked); err != nil {
		t.Fatal(err)
	} else {
		for _, p := range problems {
			t.Errorf("lint: %s: %s", p.Metric, p.Text)
		}
	}
	stopOld()
	use.Streams = 4
	if err := testutil.CollectAndCompare(tracked, strings.NewReader(strings.Replace(want, "} 3\n", "} 4\n", 1))); err != nil {
		t.Fatalf("after the old instance went: %v", err)
	}
	stop()
	if n := testutil.CollectAndCount(tracked); n != 0 {
		t.Fatalf("%d series after untracking, want none", n)
	}
}
