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
	"github.com/tickstream/streaming/pkg/host"
	"github.com/tickstream/streaming/pkg/models"
)

// soakStream is one stream of the soak: its query, and what its receiver
// counted. The receiver goroutine owns the counters until done is closed.
type soakStream struct {
	path    string
	q       models.Query
	perMsg  int64     // ticks per message, c = ceil(1000 / (maxMessageRate × tick))
	started time.Time // when RunStream was called

	done chan struct{}

	msgs, rows     int64
	first, last    int64 // first and last tick time received (ms); valid when rows > 0
	missing        int64 // ticks skipped between consecutive rows
	repeated       int64 // rows at or before the previous row's time
	offGrid        int64 // rows whose time is not a multiple of the tick
	outOfLimits    int64 // values outside [lowerLimit, upperLimit]
	badMessages    int64 // packets that do not decode as data-only frames of the query
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
		Values   [][]json.Number `json:"values"`
		Entities json.RawMessage `json:"entities"`
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

// packet checks one message's rows and adds them to the counts.
func (s *soakStream) packet(b []byte) {
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
	if len(vals) != int(1+s.q.Series) {
		s.bad("message %d has %d fields, want time and %d series", s.msgs, len(vals), s.q.Series)
		return
	}
	if len(vals[0]) == 0 {
		s.bad("message %d is empty", s.msgs)
		return
	}
	tick := s.q.TickInterval
	for r, n := range vals[0] {
		t, err := n.Int64()
		if err != nil {
			s.bad("message %d row %d: time %q", s.msgs, r, n)
			continue
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
				s.missing += (t-s.last)/tick - 1
			}
		} else {
			s.first = t
		}
		s.last = t
		s.rows++
		for i := 1; i < len(vals); i++ {
			if r >= len(vals[i]) {
				s.bad("message %d: series %d has %d values for %d times", s.msgs, i, len(vals[i]), len(vals[0]))
				break
			}
			v, err := vals[i][r].Float64()
			if err != nil || !(v >= s.q.LowerLimit && v <= s.q.UpperLimit) {
				s.outOfLimits++
			}
		}
	}
	if k := s.last / tick; k%s.perMsg != 0 {
		s.bad("message %d ends at tick k=%d, not on the batch grid c=%d", s.msgs, k, s.perMsg)
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
	v.gridTicks = (s.last-s.first)/tick + 1
	// The plugin starts at the first tick after it got the call, which is
	// after s.started; a first row much later than that lost ticks.
	firstDue := (s.started.UnixMilli()/tick + 1) * tick
	v.headLate = s.first > firstDue+startSlack.Milliseconds()+s.perMsg*tick
	lastDue := stop.UnixMilli() / tick / s.perMsg * s.perMsg * tick
	v.tailOK = s.last >= lastDue-tailSlack.Milliseconds()-s.perMsg*tick
	return v
}

// received counts every stream's messages and rows as they arrive, for
// the samples (each stream's own counters are read only after it ends).
var received struct{ msgs, rows atomic.Int64 }
