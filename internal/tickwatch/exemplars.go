package tickwatch

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/tickstream/streaming/internal/tickwatch/check"
	"github.com/tickstream/streaming/pkg/channel"
)

// A query with exemplars gets a second frame, and on a live range that
// frame follows an exemplar channel of its own (docs/annotations-and-
// exemplars.md, "Live exemplars"); each viewer follows it beside the
// stream, as a panel does. A query without exemplars has neither, and
// costs no subscription more.

// exemplarFrameName is the name of the exemplar frame, by which Grafana's
// panels tell it from annotations.
const exemplarFrameName = "exemplar"

// exemplarHistory is the exemplar frame of a history answer: its rows,
// and the exemplar channel it names with the period its path gives.
type exemplarHistory struct {
	rows []check.ExemplarRow
	// channel and definition are as history's; every is the exemplars'
	// period in ticks.
	channel, definition string
	every               int64
}

// exemplarFrameJSON is an exemplar frame as Grafana's JSON carries it:
// with its schema in a history answer, without in a live message. Its
// columns are time, value, traceID and one string column per label key.
type exemplarFrameJSON struct {
	Schema *struct {
		Name string    `json:"name"`
		Meta *metaJSON `json:"meta"`
	} `json:"schema"`
	Data *struct {
		Values []json.RawMessage `json:"values"`
	} `json:"data"`
}

// rows decodes the frame's rows; a frame without data has none. A null
// value is NaN, which no exemplar has, so the check calls it wrong.
func (f *exemplarFrameJSON) rows() ([]check.ExemplarRow, error) {
	if f.Data == nil || len(f.Data.Values) == 0 {
		return nil, nil
	}
	cols := f.Data.Values
	if len(cols) < 3 {
		return nil, fmt.Errorf("%d columns, want time, value, traceID and the labels", len(cols))
	}
	var times []int64
	var values []*float64
	var traceIDs []string
	if err := errors.Join(json.Unmarshal(cols[0], &times), json.Unmarshal(cols[1], &values), json.Unmarshal(cols[2], &traceIDs)); err != nil {
		return nil, err
	}
	labels := make([][]string, len(cols)-3)
	for i, c := range cols[3:] {
		if err := json.Unmarshal(c, &labels[i]); err != nil {
			return nil, err
		}
	}
	same := len(values) == len(times) && len(traceIDs) == len(times)
	for _, col := range labels {
		same = same && len(col) == len(times)
	}
	if !same {
		return nil, errors.New("columns of different lengths")
	}
	out := make([]check.ExemplarRow, len(times))
	for j := range out {
		r := check.ExemplarRow{TimeMs: times[j], Value: math.NaN(), TraceID: traceIDs[j]}
		if values[j] != nil {
			r.Value = *values[j]
		}
		for _, col := range labels {
			r.Labels = append(r.Labels, col[j])
		}
		out[j] = r
	}
	return out, nil
}

// readExemplars decodes one live message of an exemplar channel. They
// come once per exemplar period at most, so encoding/json is fast enough.
func readExemplars(msg []byte) ([]check.ExemplarRow, error) {
	var f exemplarFrameJSON
	if err := json.Unmarshal(msg, &f); err != nil {
		return nil, err
	}
	return f.rows()
}

// exemplarHistory reads stream s's exemplar frame from a history answer,
// and checks that it names the exemplar channel the plugin names for
// s's query with the period in its path.
func (g *grafana) exemplarHistory(uid string, s *stream, raw json.RawMessage) (*exemplarHistory, error) {
	var f exemplarFrameJSON
	if err := g.decode("/api/ds/query", raw, &f); err != nil {
		return nil, err
	}
	if f.Schema == nil || f.Schema.Name != exemplarFrameName {
		return nil, usageErrorf("%s: the second frame for stream %d is not named %q: is data source %q Tickstream?", g.base, s.n, exemplarFrameName, uid)
	}
	x := &exemplarHistory{}
	if x.channel, x.definition = f.Schema.Meta.channel(); x.channel == "" {
		return nil, usageErrorf("%s: the exemplar frame for stream %d names no live channel: the plugin is another version than this tickwatch; build tickwatch from the plugin's release", g.base, s.n)
	}
	var err error
	if x.every, err = exemplarEvery(uid, s, x.channel, x.definition); err != nil {
		return nil, usageErrorf("%s: stream %d: %v", g.base, s.n, err)
	}
	if x.rows, err = f.rows(); err != nil {
		return nil, usageErrorf("%s: stream %d's exemplars: %v", g.base, s.n, err)
	}
	return x, nil
}

// exemplarEvery is the period in ticks of the exemplar channel id (with
// definition, for a hashed one) that the plugin named for s. The period
// comes from the range the plugin saw, so it is read from the path; the
// rest must be what tickwatch names for s's query with that period.
func exemplarEvery(uid string, s *stream, id, definition string) (int64, error) {
	path := strings.TrimPrefix(id, "ds/"+uid+"/")
	var e channel.Exemplars
	var err error
	if definition == "" {
		_, e, err = channel.ParseExemplars(path)
	} else {
		var data []byte
		if data, err = json.Marshal(channel.SubscribeData{Definition: definition}); err == nil {
			_, e, err = channel.ParseHashed(uid, path, data)
		}
	}
	if err == nil {
		want := channel.ForExemplars(uid, s.expect.Query, channel.Exemplars{Every: e.Every, URL: s.exemplarURL})
		if want.ID != id || want.Definition != definition {
			err = fmt.Errorf("tickwatch expects %q", want.ID)
		}
	}
	if err != nil {
		return 0, fmt.Errorf("the plugin names the exemplar channel %q (%v): the plugin is another version than this tickwatch; build tickwatch from the plugin's release", id, err)
	}
	return e.Every, nil
}
