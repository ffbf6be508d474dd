package host

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// TestDecodeFrame checks the harness's own decoding against the SDK's
// encoder: a schema-only frame (InitialData) and a data-only frame (what a
// stream sends after it) decode to the rows that were sent.
func TestDecodeFrame(t *testing.T) {
	f := data.NewFrame("",
		data.NewField("time", nil, []time.Time{time.UnixMilli(1000), time.UnixMilli(2000)}),
		data.NewField("value", nil, []float64{0.1, 1e300}))
	schemaOnly, err := data.FrameToJSON(f, data.IncludeSchemaOnly)
	if err != nil {
		t.Fatal(err)
	}
	dataOnly, err := data.FrameToJSON(f, data.IncludeDataOnly)
	if err != nil {
		t.Fatal(err)
	}
	schema, ok, err := FrameSchema(schemaOnly)
	if err != nil || !ok {
		t.Fatalf("schema-only frame: schema %v, %v", ok, err)
	}
	if _, has, err := FrameSchema(dataOnly); err != nil || has {
		t.Fatalf("data-only frame: schema %v, %v", has, err)
	}
	if _, err := DecodeFrame(dataOnly, nil); err == nil {
		t.Fatal("a data-only frame decoded without a schema")
	}
	head, err := DecodeFrame(schemaOnly, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := frameSeries(head); err != nil || len(s.times) != 0 {
		t.Fatalf("schema-only frame: %v rows, %v", len(s.times), err)
	}
	got, err := DecodeFrame(dataOnly, schema)
	if err != nil {
		t.Fatal(err)
	}
	s, err := frameSeries(got)
	if err != nil {
		t.Fatal(err)
	}
	if diffTimes(s.times, []int64{1000, 2000}) != "" || s.values[0] != 0.1 || s.values[1] != 1e300 {
		t.Fatalf("decoded %v %v", s.times, s.values)
	}
}

// TestExpectedTimes pins the test's own reading of the history rules.
func TestExpectedTimes(t *testing.T) {
	cases := []struct {
		from, to, tick, mdp int64
		want                []int64
	}{
		{0, 10, 1, 0, []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{1, 9, 2, 0, []int64{2, 4, 6, 8}},
		{0, 10, 1, 5, []int64{0, 3, 6, 9}}, // n 11, m 3
		{-5, 5, 1, 5, []int64{-3, 0, 3}},   // n 11, m 3, k divisible by 3
		{5, 5, 10, 0, nil},                 // no grid point
		{0, 100000, 1, 1e9, nil},           // filled below
		{10, 10, 10, 0, []int64{10}},       // one point, ends included
		{0, 2000, 1000, -1, []int64{0, 1000, 2000}},
	}
	for _, c := range cases {
		got := expectedTimes(c.from, c.to, c.tick, c.mdp)
		if c.mdp == 1e9 {
			// n 100001, L capped at 10000, m 11.
			if len(got) != 9091 || got[1] != 11 {
				t.Errorf("cap: %d points, second %d", len(got), got[1])
			}
			continue
		}
		if d := diffTimes(got, c.want); d != "" {
			t.Errorf("expectedTimes(%d, %d, %d, %d): %s", c.from, c.to, c.tick, c.mdp, d)
		}
	}
}

// TestStartIgnoresStandaloneAddress: with GF_PLUGIN_GRPC_ADDRESS_<ID> in the
// host's environment (a developer running a standalone plugin), the child
// must still serve over go-plugin, so the harness does not pass it on.
func TestStartIgnoresStandaloneAddress(t *testing.T) {
	t.Setenv("GF_PLUGIN_GRPC_ADDRESS_TICKSTREAM_STREAMING_DATASOURCE", "127.0.0.1:1")
	p := startPlugin(t)
	assertAlive(t, p)
}
