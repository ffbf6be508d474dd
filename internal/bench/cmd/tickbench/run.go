package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/tickstream/streaming/internal/host"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func isCanceled(err error) bool {
	return errors.Is(err, context.Canceled) || status.Code(err) == codes.Canceled
}

// profilePort is where a profiled plugin serves pprof (the SDK's profiler,
// GF_PLUGIN_PROFILING_*); one plugin runs at a time.
const profilePort = 16061

// startPlugin starts bin through the plugin protocol, with the SDK's pprof
// server when profile is set.
func startPlugin(bin string, profile bool) (*host.Plugin, error) {
	if profile {
		os.Setenv("GF_PLUGIN_PROFILING_ENABLED", "true")
		os.Setenv("GF_PLUGIN_PROFILING_PORT", strconv.Itoa(profilePort))
		defer os.Unsetenv("GF_PLUGIN_PROFILING_ENABLED")
		defer os.Unsetenv("GF_PLUGIN_PROFILING_PORT")
	}
	return host.Start(bin)
}

// streamRun is one plugin process running a set of streams through a
// measured window.
type streamRun struct {
	tot          totals
	cpu          *cpuMeter
	rssKB, hwmKB int64
	// rss0KB is the fresh process's RSS before any stream opened, so that
	// what the streams add compares with the echo floor, which is also
	// counted from there (scenario g).
	rss0KB int64
	// mem is the Go collector's gauges at the end of the window: heap,
	// stacks and the heap goal (go_memstats_*).
	mem map[string]float64
	// windowGCs is how many collections ran in the window.
	windowGCs    float64
	expectedRows int64 // per stream, in the window
	dur          time.Duration
	profile      string // pprof file, when profiled
}

// runSpec says what to run.
type runSpec struct {
	label    string // plugin:scenario, for logs and profile names
	bin      string
	ds       host.DataSource
	paths    []string
	opts     streamOpts
	warmup   time.Duration
	dur      time.Duration
	profile  bool
	duringFn func() // called when the window opens (e.g. to add load)
}

// runStreams starts a fresh plugin process, opens the streams, lets them
// warm up, measures CPU over a window aligned to whole seconds, counts the
// rows stamped inside it, and stops everything.
func (b *bench) runStreams(ctx context.Context, spec runSpec) (*streamRun, error) {
	p, err := startPlugin(spec.bin, spec.profile)
	if err != nil {
		return nil, err
	}
	defer p.Stop()
	rss0, err := p.RSS()
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	set, err := openStreams(ctx, p, spec.ds, spec.paths, spec.opts, true)
	if err != nil {
		return nil, err
	}
	defer set.Stop()
	b.logf("  %s: %d streams open in %v", spec.label, len(spec.paths), time.Since(t0).Round(time.Millisecond))
	sleepCtx(ctx, spec.warmup)
	if spec.duringFn != nil {
		spec.duringFn()
		sleepCtx(ctx, time.Second)
	}
	// The window starts on a whole second (so on every bench tick's grid)
	// and is a whole number of ticks long.
	start := time.Now().Truncate(time.Second).Add(time.Second)
	end := start.Add(spec.dur)
	set.SetWindow(start, end)
	sleepCtx(ctx, time.Until(start))
	gcs0 := goMetrics(ctx, p)["go_gc_duration_seconds_count"]
	meter, err := startMeter(p.Pid())
	if err != nil {
		return nil, err
	}
	run := &streamRun{dur: spec.dur, rss0KB: rss0 / 1024}
	profDone := make(chan struct{})
	if spec.profile && b.pprofDir != "" {
		run.profile = filepath.Join(b.pprofDir, spec.label+".pprof")
		go func() {
			defer close(profDone)
			secs := max(1, int(spec.dur.Seconds())-1)
			if err := fetch(fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/profile?seconds=%d", profilePort, secs), run.profile); err != nil {
				b.logf("  %s: profile: %v", spec.label, err)
				run.profile = ""
			}
		}()
	} else {
		close(profDone)
	}
	sleepCtx(ctx, time.Until(end))
	if err := meter.Stop(); err != nil {
		return nil, err
	}
	run.cpu = meter
	rss, _ := p.RSS()
	run.rssKB = rss / 1024
	run.hwmKB, _ = procStatusKB(p.Pid(), "VmHWM")
	run.mem = goMetrics(ctx, p)
	run.windowGCs = run.mem["go_gc_duration_seconds_count"] - gcs0
	if spec.profile && b.pprofDir != "" {
		// Where the heap goes at the end of the window, beside the CPU profile.
		heap := filepath.Join(b.pprofDir, spec.label+".heap.pprof")
		if err := fetch(fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/heap", profilePort), heap); err != nil {
			b.logf("  %s: heap profile: %v", spec.label, err)
		}
	}
	// Rows stamped inside the window may still be on their way: wait until
	// each stream is past the window (a late tick is late, not lost).
	if spec.opts.parse && spec.opts.tick > 0 {
		if behind := set.WaitPast(ctx, end.UnixMilli(), 15*time.Second); behind > 0 {
			b.logf("  %s: %d streams got nothing past the window within 15 s", spec.label, behind)
		}
	}
	<-profDone
	set.Stop()
	run.tot = set.Totals()
	if spec.opts.tick > 0 {
		run.expectedRows = spec.dur.Milliseconds() / spec.opts.tick
	}
	if p.Exited() {
		return nil, fmt.Errorf("%s: plugin exited during the run; log:\n%s", spec.label, tail(p.Log(), 2000))
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return run, nil
}

func fetch(url, file string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func sleepCtx(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// percentile of sorted values, nearest rank.
func percentile(sorted []int64, p float64) int64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func sortInts(v []int64) { sort.Slice(v, func(i, j int) bool { return v[i] < v[j] }) }

// spinners keeps n processes busy (this executable with -spin) until
// stopped: the "both cores loaded" condition.
type spinners []*exec.Cmd

func startSpinners(n int) (spinners, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var s spinners
	for range n {
		cmd := exec.Command(self, "-spin")
		if err := cmd.Start(); err != nil {
			s.Stop()
			return nil, err
		}
		s = append(s, cmd)
	}
	return s, nil
}

// Stop kills exactly the processes it started.
func (s spinners) Stop() {
	for _, c := range s {
		_ = c.Process.Kill()
		_ = c.Wait()
	}
}

func spin() {
	x := uint64(1)
	for {
		x = x*6364136223846793005 + 1442695040888963407
		if x == 0 {
			fmt.Println(x)
		}
	}
}
