package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/tickstream/streaming/internal/host"
)

// streamSet is a number of RunStream calls on one plugin, each received by
// its own goroutine, as Grafana's stream manager holds them. It does not
// use host.Stream: that buffers 16k packets per stream up front, which at
// 10,000 streams would be gigabytes in the host.
type streamSet struct {
	streams []*benchStream
	wg      sync.WaitGroup
	// window is [winStart, winEnd) in ms since the epoch: only rows whose
	// timestamps fall in it are counted. Both are MaxInt64 until set.
	winStart, winEnd atomic.Int64
}

// streamOpts say what the receiving goroutines do with each message.
type streamOpts struct {
	// parse reads each message's rows; without it only messages and bytes
	// are counted (the ceiling scenario, where the host must be cheap).
	parse bool
	// tick is the stream's tick interval in ms, for the gap count.
	tick int64
	// grid says the plugin stamps ticks on the epoch grid (Tickstream);
	// otherwise gaps and drift are judged against the first timestamp.
	grid bool
	// lags keeps every counted row's receive lag (timing scenario only).
	lags bool
}

// benchStream is one RunStream call and what its goroutine counted; read
// the counts only after streamSet.Stop.
type benchStream struct {
	cancel context.CancelFunc
	opts   streamOpts

	msgs, bytes  int64        // all messages received
	rows, points int64        // rows (ticks) and points in the window
	winMsgs      int64        // messages holding a row in the window
	series       int          // value fields in the last message
	gaps, dups   int64        // ticks missing between and repeated across messages
	first, last  int64        // ms of the first and last row seen
	seen         atomic.Int64 // last, for the end-of-run wait (read while receiving)
	maxOffGrid   int64        // ns: largest |timestamp - grid|
	lagsNs       []int64
	err          error
}

// openStreams subscribes to and runs paths on p with jsonData ds, parallel
// by `workers`, and starts receiving.
func openStreams(ctx context.Context, p *host.Plugin, ds host.DataSource, paths []string, opts streamOpts, subscribe bool) (*streamSet, error) {
	set := &streamSet{streams: make([]*benchStream, len(paths))}
	set.winStart.Store(math.MaxInt64)
	set.winEnd.Store(math.MaxInt64)
	pc := ds.PluginContext()
	const workers = 16
	errs := make(chan error, workers)
	var next atomic.Int64
	var openWG sync.WaitGroup
	for range workers {
		openWG.Add(1)
		go func() {
			defer openWG.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(paths) {
					return
				}
				if subscribe {
					resp, err := p.Stream.SubscribeStream(ctx, &pluginv2.SubscribeStreamRequest{PluginContext: pc, Path: paths[i]})
					if err != nil {
						errs <- fmt.Errorf("subscribe %s: %w", paths[i], err)
						return
					}
					if resp.Status != pluginv2.SubscribeStreamResponse_OK {
						errs <- fmt.Errorf("subscribe %s: %w (%v)", paths[i], errRefused, resp.Status)
						return
					}
				}
				sctx, cancel := context.WithCancel(ctx)
				rs, err := p.Stream.RunStream(sctx, &pluginv2.RunStreamRequest{PluginContext: pc, Path: paths[i]})
				if err != nil {
					cancel()
					errs <- fmt.Errorf("run %s: %w", paths[i], err)
					return
				}
				s := &benchStream{cancel: cancel, opts: opts}
				set.streams[i] = s
				set.wg.Add(1)
				go func() {
					defer set.wg.Done()
					s.receive(rs, set)
				}()
			}
		}()
	}
	openWG.Wait()
	close(errs)
	if err := <-errs; err != nil {
		set.Stop()
		return nil, err
	}
	return set, nil
}

// errRefused is a SubscribeStream that did not answer OK.
var errRefused = errors.New("subscription refused")

func (s *benchStream) receive(rs pluginv2.Stream_RunStreamClient, set *streamSet) {
	var fr frameRows
	for {
		pkt, err := rs.Recv()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				s.err = err
			}
			return
		}
		now := time.Now().UnixNano()
		s.msgs++
		s.bytes += int64(len(pkt.Data))
		if !s.opts.parse {
			// Unparsed messages count by when they arrive.
			if ms := now / 1e6; ms >= set.winStart.Load() && ms < set.winEnd.Load() {
				s.winMsgs++
			}
			continue
		}
		if err := parseFrame(pkt.Data, &fr); err != nil {
			s.err = err
			return
		}
		s.count(&fr, now, set.winStart.Load(), set.winEnd.Load())
	}
}

// count books one message's rows.
func (s *benchStream) count(fr *frameRows, nowNs, ws, we int64) {
	s.series = fr.series
	tick := s.opts.tick
	inWindow := false
	for i, ms := range fr.times {
		ns := ms * 1e6
		if len(fr.nanos) > 0 {
			ns += fr.nanos[i]
		}
		if s.first == 0 {
			s.first = ms
		} else if tick > 0 {
			switch d := ms - s.last; {
			case d <= 0:
				s.dups++
			case s.opts.grid && d > tick:
				s.gaps += d/tick - 1
			}
			// A ticker's time.Now() stamps bunch up under load, so gaps
			// between them say nothing: its losses show in the window count.
		}
		s.last = ms
		s.seen.Store(ms)
		if tick > 0 {
			// Drift: distance to the grid (the epoch's for Tickstream,
			// the first tick's for a ticker).
			origin := int64(0)
			if !s.opts.grid {
				origin = s.first * 1e6
			}
			tn := tick * 1e6
			off := (ns - origin) % tn
			if off < 0 {
				off += tn
			}
			off = min(off, tn-off)
			if ms >= ws && ms < we {
				s.maxOffGrid = max(s.maxOffGrid, off)
			}
		}
		if ms >= ws && ms < we {
			inWindow = true
			s.rows++
			s.points += int64(fr.series)
			if s.opts.lags {
				s.lagsNs = append(s.lagsNs, nowNs-ns)
			}
		}
	}
	if inWindow {
		s.winMsgs++
	}
}

// SetWindow starts counting rows stamped in [start, end).
func (set *streamSet) SetWindow(start, end time.Time) {
	set.winEnd.Store(end.UnixMilli())
	set.winStart.Store(start.UnixMilli())
}

// WaitPast waits until every stream has received a row stamped at or after
// t (ms), so that every row of the window has arrived (rows come in
// order), or until timeout; it returns how many streams had not.
func (set *streamSet) WaitPast(ctx context.Context, t int64, timeout time.Duration) int {
	deadline := time.Now().Add(timeout)
	for {
		behind := 0
		for _, s := range set.streams {
			if s != nil && s.seen.Load() < t {
				behind++
			}
		}
		if behind == 0 || time.Now().After(deadline) || ctx.Err() != nil {
			return behind
		}
		sleepCtx(ctx, 50*time.Millisecond)
	}
}

// Stop cancels every stream and waits for their goroutines.
func (set *streamSet) Stop() {
	for _, s := range set.streams {
		if s != nil {
			s.cancel()
		}
	}
	set.wg.Wait()
}

// totals sums the streams' counts.
type totals struct {
	streams              int
	msgs, bytes, winMsgs int64
	rows, points         int64
	gaps, dups           int64
	minRows, maxRows     int64
	maxOffGridNs         int64
	series               int
	errors               int
	firstErr             error
	lagsNs               []int64
}

func (set *streamSet) Totals() totals {
	t := totals{minRows: math.MaxInt64}
	for _, s := range set.streams {
		if s == nil {
			continue
		}
		t.streams++
		t.msgs += s.msgs
		t.bytes += s.bytes
		t.winMsgs += s.winMsgs
		t.rows += s.rows
		t.points += s.points
		t.gaps += s.gaps
		t.dups += s.dups
		t.minRows = min(t.minRows, s.rows)
		t.maxRows = max(t.maxRows, s.rows)
		t.maxOffGridNs = max(t.maxOffGridNs, s.maxOffGrid)
		t.series = max(t.series, s.series)
		t.lagsNs = append(t.lagsNs, s.lagsNs...)
		if s.err != nil && !isCanceled(s.err) {
			t.errors++
			if t.firstErr == nil {
				t.firstErr = s.err
			}
		}
	}
	if t.streams == 0 {
		t.minRows = 0
	}
	return t
}
