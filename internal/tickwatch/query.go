package tickwatch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/tickstream/streaming/internal/tickwatch/check"
	"github.com/tickstream/streaming/pkg/channel"
	"github.com/tickstream/streaming/pkg/models"
)

// stream is one of the -streams queries.
type stream struct {
	n      int
	query  map[string]any // the query's JSON fields, as a panel saves them
	expect *check.Expect
	// id is the channel id the plugin must name (ds/<uid>/<path>) and
	// definition its subscribe data's definition for a hashed one.
	id, definition string
	// exemplars is the query's exemplars per series (0: none, and no
	// exemplar channel to follow), exemplarURL their link.
	exemplars   int64
	exemplarURL string
}

// newStreams builds the -streams queries: -query with $i replaced by the
// stream's number, or the default query at -tick with seed i. Each is
// parsed as the plugin parses it, so a query the plugin would refuse is
// refused here with the plugin's own message.
func newStreams(cfg Config) ([]*stream, error) {
	out := make([]*stream, cfg.Streams)
	for i := range out {
		text := cfg.Query
		if text == "" {
			text = fmt.Sprintf(`{"tickInterval":%d,"seed":$i}`, cfg.Tick.Milliseconds())
		}
		text = strings.ReplaceAll(text, "$i", strconv.Itoa(i))
		var fields map[string]any
		if err := json.Unmarshal([]byte(text), &fields); err != nil {
			return nil, usageErrorf("-query for stream %d is not a JSON object (%v): %s", i, err, text)
		}
		q, _, o, errs := models.ParseQueryOverlays(json.RawMessage(text), models.WidestSettings())
		if errs != nil {
			return nil, usageErrorf("-query for stream %d: %s", i, models.JoinMessages(errs))
		}
		exp, err := check.NewExpect(q)
		if err != nil {
			return nil, usageErrorf("-query for stream %d: %v", i, err)
		}
		s := channel.ForQuery(cfg.Datasource, q)
		out[i] = &stream{n: i, query: fields, expect: exp, id: s.ID, definition: s.Definition,
			exemplars: o.Exemplars, exemplarURL: o.ExemplarURL}
	}
	return out, nil
}

// history is what /api/ds/query answered for one stream.
type history struct {
	timesMs []int64
	values  [][]float64
	// channel is the live channel the frame points at, and definition the
	// subscribe data of a hashed one ("" for a plain channel).
	channel, definition string
	// exemplars is the exemplar frame, for a query with exemplars.
	exemplars *exemplarHistory
}

// metaJSON is the part of a frame's meta that names its live channel.
type metaJSON struct {
	Channel string `json:"channel"`
	Custom  *struct {
		Channel    string `json:"tickstreamChannel"`
		Definition string `json:"tickstreamDefinition"`
	} `json:"custom"`
}

// channel is the live channel the meta names, and the definition a
// hashed one needs as subscribe data ("" for a plain channel); "" when
// it names none.
func (m *metaJSON) channel() (id, definition string) {
	switch {
	case m == nil:
		return "", ""
	case m.Custom != nil && m.Custom.Channel != "":
		return m.Custom.Channel, m.Custom.Definition
	}
	return m.Channel, ""
}

// frameJSON is a data frame as Grafana's JSON carries it: history frames
// with their schema, live messages mostly without.
type frameJSON struct {
	Schema *struct {
		Meta *metaJSON `json:"meta"`
	} `json:"schema"`
	Data *struct {
		Values [][]*float64 `json:"values"`
	} `json:"data"`
}

// rows splits a frame's columns into the time column (ms) and the value
// columns, null as NaN; a frame without data has no rows.
func (f *frameJSON) rows() ([]int64, [][]float64, error) {
	if f.Data == nil || len(f.Data.Values) == 0 {
		return nil, nil, nil
	}
	times := make([]int64, len(f.Data.Values[0]))
	for j, t := range f.Data.Values[0] {
		if t == nil {
			return nil, nil, errors.New("a null time")
		}
		times[j] = int64(*t)
	}
	values := make([][]float64, len(f.Data.Values)-1)
	for i, col := range f.Data.Values[1:] {
		values[i] = make([]float64, len(col))
		for j, v := range col {
			values[i][j] = math.NaN()
			if v != nil {
				values[i][j] = *v
			}
		}
	}
	return times, values, nil
}

// queryHistory asks the instance for the stream's history from fromMs to
// now as a panel does: the saved query with its data source,
// maxDataPoints and intervalMs, the start as a string of Unix ms. The end
// is "now", which Grafana resolves when the request arrives, where a panel
// sends the time it asked at: so that under a load that delays the
// request by more than the plugin's live lag (5 s), the answer still
// names the stream, which tickwatch is there to check.
func (g *grafana) queryHistory(ctx context.Context, uid string, s *stream, fromMs, maxDataPoints int64) (*history, error) {
	q := make(map[string]any, len(s.query)+4)
	for k, v := range s.query {
		q[k] = v
	}
	q["refId"] = "A"
	q["datasource"] = map[string]string{"uid": uid, "type": PluginID}
	q["maxDataPoints"] = maxDataPoints
	q["intervalMs"] = s.expect.Tick()
	body := map[string]any{
		"queries": []any{q},
		"from":    strconv.FormatInt(fromMs, 10),
		"to":      "now",
	}
	const path = "/api/ds/query"
	status, b, err := g.send(ctx, http.MethodPost, path, body)
	if err != nil {
		return nil, err
	}
	var resp struct {
		Results map[string]struct {
			Error  string            `json:"error"`
			Status int               `json:"status"`
			Frames []json.RawMessage `json:"frames"`
		} `json:"results"`
		Message string `json:"message"`
	}
	decodeErr := g.decode(path, b, &resp)
	r, ok := resp.Results["A"]
	switch {
	case decodeErr == nil && ok && r.Error != "":
		return nil, usageErrorf("%s: the data source refused stream %d's query: %s", g.base, s.n, r.Error)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return nil, g.statusError(path, status)
	case decodeErr == nil && resp.Message != "" && status != http.StatusOK:
		return nil, usageErrorf("%s%s: status %d: %s: check -datasource", g.base, path, status, resp.Message)
	case status != http.StatusOK:
		return nil, g.statusError(path, status)
	case decodeErr != nil:
		return nil, decodeErr
	case !ok || s.exemplars == 0 && len(r.Frames) != 1:
		return nil, usageErrorf("%s: data source %q did not answer stream %d's query with one frame, as Tickstream does: is it a Tickstream data source?", g.base, uid, s.n)
	case s.exemplars > 0 && len(r.Frames) != 2:
		return nil, usageErrorf("%s: data source %q did not answer stream %d's query, which has exemplars, with two frames (the series and the exemplars), as Tickstream does: is it a Tickstream data source of this tickwatch's release?", g.base, uid, s.n)
	}
	var f frameJSON
	if err := g.decode(path, r.Frames[0], &f); err != nil {
		return nil, err
	}
	h := &history{}
	if f.Schema != nil {
		h.channel, h.definition = f.Schema.Meta.channel()
	}
	if h.channel == "" {
		return nil, usageErrorf("%s: the frame for stream %d names no live channel (meta.channel): is data source %q Tickstream, and is the range live (tickwatch asks up to now)?", g.base, s.n, uid)
	}
	if h.channel != s.id || h.definition != s.definition {
		return nil, usageErrorf("%s: the plugin names stream %d's channel %q, tickwatch expects %q: the plugin is another version than this tickwatch; build tickwatch from the plugin's release", g.base, s.n, h.channel, s.id)
	}
	if h.timesMs, h.values, err = f.rows(); err != nil {
		return nil, usageErrorf("%s: stream %d's history: %v", g.base, s.n, err)
	}
	if s.exemplars > 0 {
		if h.exemplars, err = g.exemplarHistory(uid, s, r.Frames[1]); err != nil {
			return nil, err
		}
	}
	return h, nil
}
