package plugin

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// subscribeStatus subscribes to path without data.
func subscribeStatus(t *testing.T, d *Datasource, path string) backend.SubscribeStreamStatus {
	t.Helper()
	resp, err := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: path})
	if err != nil {
		t.Fatalf("SubscribeStream(%s): %v", path, err)
	}
	return resp.Status
}

// liveNotices returns the notices of a live query's frame.
func liveNotices(t *testing.T, d *Datasource, queryJSON string) string {
	t.Helper()
	now := time.Now()
	return noticeText(queryFrame(t, d, queryJSON, 100, now.Add(-time.Minute), now))
}

// noticeText joins the texts of f's notices.
func noticeText(f *data.Frame) string {
	var texts []string
	for _, n := range f.Meta.Notices {
		texts = append(texts, n.Text)
	}
	return strings.Join(texts, "; ")
}

// TestMaxStreams: past maxStreams a new stream is refused, a running one
// is joined, QueryData's frame says why the panel gets no live data, the
// health check reports the use, and a stream's end makes room at once.
func TestMaxStreams(t *testing.T) {
	d := newTestDatasource(t, `{"maxStreams":2}`)
	paths := []string{"v1/t=1000/lo=0/hi=100/seed=1", "v1/t=1000/lo=0/hi=100/seed=2", "v1/t=1000/lo=0/hi=100/seed=3"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first, cancelFirst := context.WithCancel(ctx)
	var done []<-chan error
	for i, p := range paths[:2] {
		if got := subscribeStatus(t, d, p); got != backend.SubscribeStreamStatusOK {
			t.Fatalf("stream %d of 2: status %v", i+1, got)
		}
		runCtx := ctx
		if i == 0 {
			runCtx = first
		}
		done = append(done, runStream(d, runCtx, p, &fakeSender{}))
	}
	if got := subscribeStatus(t, d, paths[2]); got != backend.SubscribeStreamStatusPermissionDenied {
		t.Fatalf("a third stream: status %v, want PermissionDenied", got)
	}
	if got := subscribeStatus(t, d, paths[1]); got != backend.SubscribeStreamStatusOK {
		t.Fatalf("joining a running stream: status %v, want OK", got)
	}
	notice := liveNotices(t, d, `{"seed":3}`)
	if !strings.Contains(notice, "maxStreams of 2") {
		t.Errorf("a live query of a third stream: notices %q, want one naming maxStreams of 2", notice)
	}
	if notice := liveNotices(t, d, `{"seed":2}`); notice != "" {
		t.Errorf("a live query of a running stream: notices %q, want none", notice)
	}
	health, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "streams running 2 of maxStreams 2, points per second 2 of maxTotalPointsPerSecond 100000"; !strings.Contains(health.Message, want) {
		t.Errorf("health %q lacks %q", health.Message, want)
	}
	cancelFirst()
	if err := waitResult(t, done[0]); err != nil {
		t.Fatal(err)
	}
	if got := subscribeStatus(t, d, paths[2]); got != backend.SubscribeStreamStatusOK {
		t.Fatalf("a third stream after one ended: status %v, want OK", got)
	}
}

// TestMaxTotalPointsPerSecond: a stream whose points would pass the sum is
// refused; a cheaper one that fits is not.
func TestMaxTotalPointsPerSecond(t *testing.T) {
	d := newTestDatasource(t, `{"maxTotalPointsPerSecond":5}`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	three := "v1/t=1000/lo=0/hi=100/seed=0/series=3"
	if got := subscribeStatus(t, d, three); got != backend.SubscribeStreamStatusOK {
		t.Fatalf("3 points per second: status %v", got)
	}
	done := runStream(d, ctx, three, &fakeSender{})
	if got := subscribeStatus(t, d, "v1/t=1000/lo=0/hi=100/seed=1/series=3"); got != backend.SubscribeStreamStatusPermissionDenied {
		t.Fatalf("3 more points per second: status %v, want PermissionDenied", got)
	}
	notice := liveNotices(t, d, `{"seed":1,"series":3,"labels":"s=$seriesIndex"}`)
	if !strings.Contains(notice, "make 3 points per second, and this stream's 3 more would pass its maxTotalPointsPerSecond of 5") {
		t.Errorf("notices %q, want the use, the stream's cost and maxTotalPointsPerSecond", notice)
	}
	if got := subscribeStatus(t, d, "v1/t=1000/lo=0/hi=100/seed=1/series=2"); got != backend.SubscribeStreamStatusOK {
		t.Fatalf("2 more points per second: status %v, want OK", got)
	}
	cancel()
	if err := waitResult(t, done); err != nil {
		t.Fatal(err)
	}
}

// TestExemplarChannelRefusalIsNoticed: when the data source has room for
// a query's stream (it runs) but not for its exemplar channel, the
// panel's series frame says why its exemplars stay still, naming the
// setting; the same query without exemplars gets no notice.
func TestExemplarChannelRefusalIsNoticed(t *testing.T) {
	d := newTestDatasource(t, `{"maxStreams":1}`)
	const path = "v1/t=1000/lo=0/hi=100/seed=1"
	if got := subscribeStatus(t, d, path); got != backend.SubscribeStreamStatusOK {
		t.Fatalf("the stream: status %v", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := runStream(d, ctx, path, &fakeSender{})
	defer func() {
		cancel()
		if err := waitResult(t, done); err != nil {
			t.Error(err)
		}
	}()
	now := time.Now()
	frames := queryFrames(t, d, `{"seed":1,"exemplars":5}`, 100, now.Add(-time.Minute), now)
	notice := noticeText(frames[0])
	if len(frames) != 2 || frames[1].Meta.Channel == "" {
		t.Fatalf("%d frames, the second without its exemplar channel: want the series and the live exemplars", len(frames))
	}
	if !strings.HasPrefix(notice, "no live exemplars for now: ") || !strings.Contains(notice, "maxStreams of 1") {
		t.Errorf("a live query whose exemplar channel has no room: notices %q, want one about its exemplars naming maxStreams of 1", notice)
	}
	if notice := liveNotices(t, d, `{"seed":1}`); notice != "" {
		t.Errorf("the same query without exemplars: notices %q, want none", notice)
	}
}
