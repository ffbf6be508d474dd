// Package tickwatch plays many dashboard viewers against one or more
// Grafana instances serving Tickstream and checks every tick each of them
// receives through Grafana Live (package check): it is what
// cmd/tickwatch runs, kept here so that the integration suite
// (internal/host) can run it against its Grafana stand-in.
package tickwatch

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/tickstream/streaming/internal/bench/procstat"
	"github.com/tickstream/streaming/internal/tickwatch/check"
)

// Config is a run's settings, the command's flags.
type Config struct {
	URLs                  []string
	Token, User, Password string
	Datasource            string
	Streams, Viewers      int
	// Query is the query JSON with $i for the stream's number; "" for
	// the default query at Tick with seed i.
	Query string
	Tick  time.Duration
	// Duration is the checked window, after the Ramp over which the
	// viewers open one after the other.
	Duration, Ramp time.Duration
	// History is the range of each panel's history query.
	History time.Duration
	// Grace is how long after the window tickwatch waits for its last
	// ticks before it counts them missing.
	Grace time.Duration
	// Progress is the interval of the progress lines; 0 for none.
	Progress time.Duration
}

// UsageError is a problem with the command line, the credentials or the
// connection to Grafana: no checking happened. Its message says what to
// fix.
type UsageError struct{ msg string }

func (e *UsageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &UsageError{msg: fmt.Sprintf(format, args...)}
}

func (c Config) validate() error {
	switch {
	case len(c.URLs) == 0:
		return usageErrorf("-url is required: the address of a Grafana, e.g. -url http://localhost:3000 (repeat it or separate by commas for several instances)")
	case c.Datasource == "":
		return usageErrorf("-datasource is required: the uid of a Tickstream data source")
	case c.Token != "" && c.User != "":
		return usageErrorf("give either -token or -user and -password, not both")
	case c.Token == "" && c.User == "":
		return usageErrorf("give -token (a service account token) or -user and -password")
	case c.Streams < 1:
		return usageErrorf("-streams must be at least 1; got %d", c.Streams)
	case c.Viewers < 1:
		return usageErrorf("-viewers must be at least 1; got %d", c.Viewers)
	case c.Query == "" && (c.Tick < time.Millisecond || c.Tick%time.Millisecond != 0):
		return usageErrorf("-tick must be a whole number of milliseconds, at least 1ms; got %v", c.Tick)
	case c.Duration <= 0:
		return usageErrorf("-duration must be positive; got %v", c.Duration)
	case c.Ramp < 0 || c.History < 0 || c.Grace < 0 || c.Progress < 0:
		return usageErrorf("-ramp, -history, -grace and -progress must not be negative")
	}
	return nil
}

// instance is one -url: its connection settings, its viewers and their
// totals, the streams' and the exemplar channels'.
type instance struct {
	index     int
	grafana   *grafana
	stats     check.Stats
	exemplars check.Stats
	viewers   []*viewer
}

// Run plays cfg.Viewers viewers of cfg.Streams streams, writes progress
// lines to out and returns the report. An error is a UsageError (nothing
// was checked) or the context's.
func Run(ctx context.Context, cfg Config, out io.Writer) (*Report, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	streams, err := newStreams(cfg)
	if err != nil {
		return nil, err
	}
	historyMs, err := historyWindow(cfg.History, streams)
	if err != nil {
		return nil, err
	}
	insts := make([]*instance, len(cfg.URLs))
	for i, u := range cfg.URLs {
		g, err := dial(ctx, u, cfg.Token, cfg.User, cfg.Password)
		if err != nil {
			return nil, err
		}
		if err := g.checkDataSource(ctx, cfg.Datasource); err != nil {
			return nil, err
		}
		insts[i] = &instance{index: i, grafana: g}
	}

	cpu0, err := procstat.CPU(os.Getpid())
	if err != nil {
		return nil, err
	}
	start := time.Now()
	cutoff := start.Add(cfg.Ramp + cfg.Duration)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var all []*viewer
	for n := range cfg.Viewers {
		inst := insts[n%len(insts)]
		v := newViewer(n, inst)
		inst.viewers = append(inst.viewers, v)
		all = append(all, v)
	}
	defer func() {
		for _, v := range all {
			v.client.Close()
		}
	}()
	startErr := make(chan error, 1)
	var started sync.WaitGroup
	for n, v := range all {
		started.Go(func() {
			if cfg.Ramp > 0 {
				select {
				case <-time.After(cfg.Ramp * time.Duration(n) / time.Duration(len(all))):
				case <-ctx.Done():
					return
				}
			}
			if err := v.start(ctx, cfg, streams, historyMs, cutoff.UnixMilli()); err != nil {
				select {
				case startErr <- err:
				default:
				}
				cancel()
			}
		})
	}

	p := newProgress(out, insts, start)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-startErr:
			started.Wait()
			return nil, err
		case <-ctx.Done():
			started.Wait()
			select {
			case err := <-startErr:
				return nil, err
			default:
				return nil, ctx.Err()
			}
		case now := <-tick.C:
			for _, v := range all {
				if f := v.failureSoFar(); f != "" {
					cancel()
					started.Wait()
					return nil, usageErrorf("%s: check that -datasource is a Tickstream data source and that the user may query it", f)
				}
			}
			if cfg.Progress > 0 {
				p.maybePrint(now, cfg.Progress)
			}
			if now.Before(cutoff) {
				continue
			}
			if !now.After(cutoff.Add(cfg.Grace)) && !allDone(all) {
				continue
			}
		}
		break
	}
	cancel()
	started.Wait()
	for _, v := range all {
		v.finish()
	}
	cpu1, err := procstat.CPU(os.Getpid())
	if err != nil {
		return nil, err
	}
	return newReport(cfg, insts, hasExemplars(streams), time.Since(start), cpu1-cpu0), nil
}

// historyWindow is the range of the history queries: -history, shortened
// to half of what the plugin returns unthinned for each stream (its point
// limit per series, maxDataPoints), so that an answer delayed by up to as
// long again still holds every tick and every one can be checked. It is a
// UsageError when a stream would get no tick of history.
func historyWindow(history time.Duration, streams []*stream) (int64, error) {
	historyMs := history.Milliseconds()
	for _, s := range streams {
		historyMs = min(historyMs, maxDataPoints(s)/2*s.expect.Tick())
	}
	for _, s := range streams {
		if historyMs < s.expect.Tick() {
			return 0, usageErrorf("-history %v is shorter than stream %d's tickInterval of %d ms: give at least one tick of history, which is what the handover to live is checked against", history, s.n, s.expect.Tick())
		}
	}
	return historyMs, nil
}

// maxDataPoints is what tickwatch asks of a stream's history: the most the
// plugin returns unthinned (10000 per series, a million in all), where a
// panel asks for about its width in pixels, so that no tick is thinned
// away.
func maxDataPoints(s *stream) int64 {
	return min(10_000, 1_000_000/s.expect.Query.Series)
}

// hasExemplars reports whether any stream's query has exemplars.
func hasExemplars(streams []*stream) bool {
	for _, s := range streams {
		if s.exemplars > 0 {
			return true
		}
	}
	return false
}

func allDone(all []*viewer) bool {
	for _, v := range all {
		if !v.done() {
			return false
		}
	}
	return true
}
