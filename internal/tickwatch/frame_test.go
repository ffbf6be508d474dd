package tickwatch

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/tickstream/streaming/internal/tickwatch/check"
	"github.com/tickstream/streaming/pkg/signal"
)

// TestFrameReader reads what the SDK writes: data-only frames (the fast
// path) with nulls and several series, a frame with its schema and one
// with entities (the slow path), into the same columns; and a reader
// reused for a narrower message forgets the wider one's columns.
func TestFrameReader(t *testing.T) {
	one, half := 1.0, 0.5
	wide := data.NewFrame("",
		data.NewField("time", nil, []time.Time{time.UnixMilli(1000), time.UnixMilli(2000)}),
		data.NewField("value", nil, []*float64{&one, nil}),
		data.NewField("value", nil, []*float64{nil, &half}))
	narrow := data.NewFrame("",
		data.NewField("time", nil, []time.Time{time.UnixMilli(3000)}),
		data.NewField("value", nil, []float64{1e300}))
	withEntities := data.NewFrame("",
		data.NewField("time", nil, []time.Time{time.UnixMilli(4000)}),
		data.NewField("value", nil, []float64{math.Inf(1)}))
	nan := math.NaN()
	cases := []struct {
		frame   *data.Frame
		include data.FrameInclude
		times   []int64
		values  [][]float64
	}{
		{wide, data.IncludeDataOnly, []int64{1000, 2000}, [][]float64{{1, nan}, {nan, 0.5}}},
		{narrow, data.IncludeDataOnly, []int64{3000}, [][]float64{{1e300}}},
		{wide, data.IncludeAll, []int64{1000, 2000}, [][]float64{{1, nan}, {nan, 0.5}}},
		{withEntities, data.IncludeDataOnly, []int64{4000}, [][]float64{{nan}}}, // kind number never sends one
	}
	var r frameReader
	for i, c := range cases {
		msg, err := data.FrameToJSON(c.frame, c.include)
		if err != nil {
			t.Fatal(err)
		}
		times, values, err := r.read(msg)
		if err != nil {
			t.Fatalf("case %d (%s): %v", i, msg, err)
		}
		if !reflect.DeepEqual(times, c.times) || !sameValues(values, c.values) {
			t.Errorf("case %d (%s): got %v %v, want %v %v", i, msg, times, values, c.times, c.values)
		}
	}
	for _, bad := range []string{`{"data":{"values":[[1,2],[3`, `{"data":{"values":[[1,x]]}}`, `{"data":{"values":[[null],[1]]}}`, `[]`} {
		if _, _, err := r.read([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func sameValues(a, b [][]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] && !(math.IsNaN(a[i][j]) && math.IsNaN(b[i][j])) {
				return false
			}
		}
	}
	return true
}

// BenchmarkLiveMessage is one viewer's cost of one live message of one
// tick, decoded and checked: the part of tickwatch's CPU per tick that is
// its own (the websocket and the Centrifuge client are the rest).
func BenchmarkLiveMessage(b *testing.B) {
	streams, err := newStreams(Config{Streams: 1, Tick: 100 * time.Millisecond, Datasource: "tickstream"})
	if err != nil {
		b.Fatal(err)
	}
	exp := streams[0].expect
	var msgs [][]byte
	for k := int64(1); k <= 1000; k++ {
		f := data.NewFrame("",
			data.NewField("time", nil, []time.Time{time.UnixMilli(k * 100)}),
			data.NewField("value", nil, []float64{0}))
		f.Fields[1].Set(0, signal.Value(exp.Query, k))
		msg, err := data.FrameToJSON(f, data.IncludeDataOnly)
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, msg)
	}
	var stats check.Stats
	var r frameReader
	tr := check.NewTrack(exp, &stats, 0, 0, 0, 100, 1<<62)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		times, values, err := r.read(msgs[i%len(msgs)])
		if err != nil {
			b.Fatal(err)
		}
		if i%len(msgs) == 0 {
			tr = check.NewTrack(exp, &stats, 0, 0, 0, 100, 1<<62)
		}
		tr.Live(times, values, time.Now())
		i++
	}
	if stats.Wrong.Load() != 0 || stats.Duplicated.Load() != 0 {
		b.Fatalf("wrong %d, duplicated %d", stats.Wrong.Load(), stats.Duplicated.Load())
	}
}

// FuzzFrameReader: any message is read without a panic, and whatever the
// fast path reads, encoding/json (the slow path) reads the same where it
// accepts the message too.
func FuzzFrameReader(f *testing.F) {
	for _, seed := range []string{
		`{"data":{"values":[[1000,2000],[1,null],[null,0.5]]}}`,
		`{"data":{"values":[[3000],[1e+300]]}}`,
		`{"data":{"values":[[],[]]}}`,
		`{"data":{"values":[[4000],[null]],"entities":[{"Inf":[0]}]}}`,
		`{"schema":{"fields":[{"name":"time"}]},"data":{"values":[[1],[2]]}}`,
		`{"data":{"values":[[1,2],[3`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		var fast frameReader
		times, values, err := fast.read(msg)
		if err != nil {
			return
		}
		var slow frameReader
		stimes, svalues, serr := slow.readSlow(msg)
		if serr != nil {
			return
		}
		if !reflect.DeepEqual(times, stimes) && !(len(times) == 0 && len(stimes) == 0) || !sameValues(values, svalues) {
			t.Fatalf("%s: fast %v %v, slow %v %v", msg, times, values, stimes, svalues)
		}
	})
}
