package tickwatch

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/tickstream/streaming/internal/tickwatch/check"
	"github.com/tickstream/streaming/pkg/channel"
)

// TestReadExemplars reads what the SDK writes for an exemplar frame, with
// its schema (history) and without (live), labels and all; a null value
// is NaN, and a frame that is not an exemplar frame is an error.
func TestReadExemplars(t *testing.T) {
	frame := data.NewFrame("exemplar",
		data.NewField("time", nil, []time.Time{time.UnixMilli(1000), time.UnixMilli(1000), time.UnixMilli(3000)}),
		data.NewField("value", nil, []float64{1.5, 2, 1e300}),
		data.NewField("traceID", nil, []string{"a", "b", "c"}),
		data.NewField("dc", nil, []string{"eu", "eu", "us"}),
		data.NewField("host", nil, []string{"web-1", "web-2", "web-1"}))
	want := []check.ExemplarRow{
		{TimeMs: 1000, Value: 1.5, TraceID: "a", Labels: []string{"eu", "web-1"}},
		{TimeMs: 1000, Value: 2, TraceID: "b", Labels: []string{"eu", "web-2"}},
		{TimeMs: 3000, Value: 1e300, TraceID: "c", Labels: []string{"us", "web-1"}},
	}
	for _, include := range []data.FrameInclude{data.IncludeAll, data.IncludeDataOnly} {
		msg, err := data.FrameToJSON(frame, include)
		if err != nil {
			t.Fatal(err)
		}
		got, err := readExemplars(msg)
		if err != nil {
			t.Fatalf("%s: %v", msg, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, want %+v", msg, got, want)
		}
	}
	rows, err := readExemplars([]byte(`{"data":{"values":[[1000],[null],["a"]]}}`))
	if err != nil || len(rows) != 1 || !math.IsNaN(rows[0].Value) || rows[0].Labels != nil {
		t.Errorf("a null value without labels: %+v, %v", rows, err)
	}
	for _, bad := range []string{
		`{"data":{"values":[[1000],[1]]}}`,
		`{"data":{"values":[[1000],[1],["a"],[]]}}`,
		`{"data":{"values":[[1000],[1],[2]]}}`,
		`{"data":{"values":[[1000.5],[1],["a"]]}}`,
		`[]`,
	} {
		if rows, err := readExemplars([]byte(bad)); err == nil {
			t.Errorf("%s: read as %+v", bad, rows)
		}
	}
}

// TestExemplarEvery: the period comes from the channel the plugin names,
// plain or hashed, and a channel that is not the query's exemplar channel
// with that period is refused, as a stream's other channel is.
func TestExemplarEvery(t *testing.T) {
	streamOf := func(query string) *stream {
		t.Helper()
		streams, err := newStreams(Config{Streams: 1, Datasource: "tickstream", Query: query})
		if err != nil {
			t.Fatal(err)
		}
		return streams[0]
	}
	plain := streamOf(`{"tickInterval":100,"exemplars":5}`)
	url := "https://tempo.example.com/trace/${__value.raw}"
	hashed := streamOf(`{"tickInterval":100,"series":2,"labels":"host=web-$seriesIndex","exemplars":5,"exemplarUrl":"` + url + `"}`)
	if plain.exemplars != 5 || hashed.exemplarURL != url {
		t.Fatalf("exemplars %d, exemplarUrl %q: the query's overlays are not read", plain.exemplars, hashed.exemplarURL)
	}
	for _, c := range []struct {
		s *stream
		e channel.Exemplars
	}{{plain, channel.Exemplars{Every: 7}}, {hashed, channel.Exemplars{Every: 12, URL: url}}} {
		named := channel.ForExemplars("tickstream", c.s.expect.Query, c.e)
		every, err := exemplarEvery("tickstream", c.s, named.ID, named.Definition)
		if err != nil || every != c.e.Every {
			t.Errorf("%s: every %d, %v; want %d", named.ID, every, err, c.e.Every)
		}
	}
	if named := channel.ForExemplars("tickstream", hashed.expect.Query, channel.Exemplars{Every: 12, URL: url}); named.Definition == "" {
		t.Fatalf("%s is not hashed: the test no longer covers a hashed exemplar channel", named.ID)
	}

	other := streamOf(`{"tickInterval":100,"seed":1,"exemplars":5}`)
	for _, named := range []channel.Stream{
		channel.ForExemplars("tickstream", other.expect.Query, channel.Exemplars{Every: 7}),           // another query's
		channel.ForExemplars("tickstream", plain.expect.Query, channel.Exemplars{Every: 7, URL: url}), // another link
		channel.ForQuery("tickstream", plain.expect.Query),                                            // the stream's own
	} {
		if _, err := exemplarEvery("tickstream", plain, named.ID, named.Definition); err == nil || !strings.Contains(err.Error(), "another version") {
			t.Errorf("%s: %v; want it refused", named.ID, err)
		}
	}
	named := channel.ForExemplars("tickstream", hashed.expect.Query, channel.Exemplars{Every: 12, URL: url})
	if _, err := exemplarEvery("tickstream", hashed, named.ID, strings.Replace(named.Definition, "ex=12", "ex=13", 1)); err == nil {
		t.Error("a hashed channel with another period's definition was taken")
	}
}
