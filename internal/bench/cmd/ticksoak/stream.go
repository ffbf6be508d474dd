package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/tickstream/streaming/internal/host"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

// soakStream is one stream of the soak: its query, and what its receiver
// counted. The receiver goroutine owns the counters until done is closed.
type soakStream struct {
	path    string
	q       models.Query
	perMsg  int64     // ticks per message, c = ceil(1000 / (maxMessageRate × tick))
	started time.Time // when RunStream was called

	done chan struct{}
	// gen says which points are null, which ticks are in an outage and
	// which states and levels are possible; built on the first packet.
	gen *signal.Generator

	msgs, rows     int64
	first, last    int64 // first and last tick time received (ms); valid when rows > 0
	missing        int64 // ticks skipped between consecutive rows
	repeated       int64 // rows at or before the previous row's time
	offGrid        int64 // rows whose time is not a multiple of the tick
	outOfLimits    int64 // values outside [lowerLimit, upperLimit]
	badMessages    int64 // packets that do not decode as data-only frames of the query
	wrongNulls     int64 // points null where dropPercent does not drop them, or the reverse
	lines          int64 // log lines received (the logs kind)
	firstBad       string
	endErr         error // how the RunStream call ended, when not by our cancel
	endedEarly     bool  // the call ended before the soak cancelled it
	firstPacketLag time.Duration
}

// dataOnly is the part of a data-only frame the soak reads: one array per
// field, the times (epoch ms) first, then the series' values.
type dataOnly struct {
	Schema json.RawMessage `json:"schema"`
	Data   struct {
		Values   [][]json.RawMessage `json:"values"`
		Entities json.RawMessage     `json:"entities"`
	} `json:"data"`
}

// run receives the stream until ctx is cancelled, checking every row
// against the grid: consecutive ticks, each once, on the grid, within the
// limits.
func (s *soakStream) run(ctx context.Context, p *host.Plugin, ds host.DataSource) {
	defer close(s.done)
	rs, err := p.Stream.RunStream(ctx, &pluginv2.RunStreamRequest{PluginContext: ds.PluginContext(), Path: s.path})
	if err != nil {
		s.endErr, s.endedEarly = err, true
		return
	}
	for {
		pkt, err := rs.Recv()
		if err != nil {
			if ctx.Err() == nil {
				s.endedEarly = true
				if !errors.Is(err, io.EOF) {
					s.endErr = err
				}
			}
			return
		}
		if s.msgs == 0 {
			s.firstPacketLag = time.Since(s.started)
		}
		s.msgs++
		before := s.rows
		s.packet(pkt.Data)
		received.msgs.Add(1)
		received.rows.Add(s.rows - before)
	}
}

func (s *soakStream) bad(format string, args ...any) {
	s.badMessages++
	if s.firstBad == "" {
		s.firstBad = fmt.Sprintf(format, args...)
	}
}

// packet checks one message's rows and adds them to the counts: each
// tick once, in order, on the grid, none missing but those in an outage,
// the message ending on the batch grid (or before it, when the ticks after
// its last row are in an outage), nulls exactly where dropPercent puts
// them, numbers within the limits, states among the names, log lines with
// a known level.
func (s *soakStream) packet(b []byte) {
	if s.gen == nil {
		s.gen = signal.New(s.q)
	}
	var f dataOnly
	if err := json.Unmarshal(b, &f); err != nil {
		s.bad("message %d: %v", s.msgs, err)
		return
	}
	if f.Schema != nil {
		s.bad("message %d carries a schema: streams send data-only frames", s.msgs)
	}
	if len(f.Data.Entities) > 0 && string(f.Data.Entities) != "null" {
		s.bad("message %d has entities (NaN or Inf values): %.100s", s.msgs, f.Data.Entities)
	}
	vals := f.Data.Values
	fields := s.fieldCount()
	if len(vals) != fields {
		s.bad("message %d has %d fields, want %d", s.msgs, len(vals), fields)
		return
	}
	if len(vals[0]) == 0 {
		s.bad("message %d is empty", s.msgs)
		return
	}
	for i := 1; i < len(vals); i++ {
		if len(vals[i]) != len(vals[0]) {
			s.bad("message %d: field %d has %d values for %d times", s.msgs, i, len(vals[i]), len(vals[0]))
			return
		}
	}
	tick := s.q.TickInterval
	for r := 0; r < len(vals[0]); r++ {
		var t int64
		if err := json.Unmarshal(vals[0][r], &t); err != nil {
			s.bad("message %d row %d: time %s", s.msgs, r, vals[0][r])
			continue
		}
		if s.q.Kind == models.SignalLogs {
			end := r + 1
			for end < len(vals[0]) && string(vals[0][end]) == string(vals[0][r]) {
				end++
			}
			s.logLines(vals, r, end, t/tick)
			r = end - 1
		}
		if t%tick != 0 {
			s.offGrid++
		}
		if s.rows > 0 {
			switch {
			case t <= s.last:
				s.repeated++
				continue
			case t > s.last+tick:
				s.missing += s.rowTicks(s.last/tick+1, t/tick-1)
			}
		} else {
			s.first = t
		}
		s.last = t
		s.rows++
		if s.q.Kind != models.SignalLogs {
			for i := 1; i < len(vals); i++ {
				s.point(int64(i), t/tick, vals[i][r])
			}
		}
	}
	if k := s.last / tick; k%s.perMsg != 0 && s.rowTicks(k+1, (k/s.perMsg+1)*s.perMsg) > 0 {
		s.bad("message %d ends at tick k=%d, not on the batch grid c=%d", s.msgs, k, s.perMsg)
	}
}

// fieldCount is how many fields the stream's frames have: time and a
// value per series, or for log lines timestamp, body, severity, id and,
// with several series, labels.
func (s *soakStream) fieldCount() int {
	if s.q.Kind != models.SignalLogs {
		return int(1 + s.q.Series)
	}
	if s.q.Series > 1 {
		return 5
	}
	return 4
}

// rowTicks counts the ticks from k1 to k2 that have rows.
func (s *soakStream) rowTicks(k1, k2 int64) int64 {
	if !s.q.HasOutages() && (s.q.Kind != models.SignalLogs || s.q.DropPercent == 0) {
		return max(k2-k1+1, 0)
	}
	n := int64(0)
	for k := k1; k <= k2; k++ {
		if s.hasRow(k) {
			n++
		}
	}
	return n
}

// hasRow reports whether tick k has rows: it is not in an outage, and for
// log lines dropPercent keeps at least one series' line.
func (s *soakStream) hasRow(k int64) bool {
	if !s.gen.HasRow(k) {
		return false
	}
	if s.q.Kind != models.SignalLogs {
		return true
	}
	for i := int64(1); i <= s.q.Series; i++ {
		if !s.gen.Dropped(i, k) {
			return true
		}
	}
	return false
}

// point checks series i's cell at tick k.
func (s *soakStream) point(i, k int64, cell json.RawMessage) {
	if string(cell) == "null" {
		if !s.gen.Dropped(i, k) {
			s.wrongNulls++
		}
		return
	}
	if s.gen.Dropped(i, k) {
		s.wrongNulls++
		return
	}
	if s.q.Kind == models.SignalState {
		var name string
		if err := json.Unmarshal(cell, &name); err != nil || name != s.gen.State(i, k) {
			s.outOfLimits++
		}
		return
	}
	var v float64
	if err := json.Unmarshal(cell, &v); err != nil || !(v >= s.q.LowerLimit && v <= s.q.UpperLimit) {
		s.outOfLimits++
	}
}

// logLines checks the log lines of rows r to end-1, all at tick k: one per
// series that dropPercent keeps, in series order, each with its level.
func (s *soakStream) logLines(vals [][]json.RawMessage, r, end int, k int64) {
	row := r
	for i := int64(1); i <= s.q.Series; i++ {
		if s.gen.Dropped(i, k) {
			continue
		}
		if row >= end {
			s.wrongNulls++ // a kept line is missing
			continue
		}
		var body, severity string
		if json.Unmarshal(vals[1][row], &body) != nil || body == "" ||
			json.Unmarshal(vals[2][row], &severity) != nil || severity != s.gen.Severity(i, k) {
			s.outOfLimits++
		}
		s.lines++
		row++
	}
	if row != end {
		s.wrongNulls += int64(end - row) // lines of dropped series
	}
}

// verdict compares what s received with the grid between its start and
// stop: ticks missing at the head (the stream starts at the first tick
// after RunStream began, allowing startSlack for 2,000 streams to start),
// in the middle, and at the tail (the last message is due at most one
// batch before stop, allowing tailSlack).
type verdict struct {
	gridTicks        int64 // grid ticks from first to last received
	headLate, tailOK bool
}

func (s *soakStream) verdict(stop time.Time, startSlack, tailSlack time.Duration) verdict {
	var v verdict
	if s.rows == 0 {
		return v
	}
	tick := s.q.TickInterval
	if s.gen == nil {
		s.gen = signal.New(s.q)
	}
	v.gridTicks = s.rowTicks(s.first/tick, s.last/tick)
	// The plugin starts at the first tick after it got the call, which is
	// after s.started; a first row much later than that lost ticks.
	firstDue := (s.started.UnixMilli()/tick + 1) * tick
	v.headLate = s.first > firstDue+startSlack.Milliseconds()+s.perMsg*tick
	lastDue := stop.UnixMilli() / tick / s.perMsg * s.perMsg * tick
	// An outage at the end leaves its ticks out: the last row is before it.
	for k := lastDue / tick; k > s.last/tick && !s.hasRow(k); k-- {
		lastDue -= tick
	}
	v.tailOK = s.last >= lastDue-tailSlack.Milliseconds()-s.perMsg*tick
	return v
}

// received counts every stream's messages and rows as they arrive, for
// the samples (each stream's own counters are read only after it ends).
var received struct{ msgs, rows atomic.Int64 }
