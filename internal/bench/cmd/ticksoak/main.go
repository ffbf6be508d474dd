// Command ticksoak is Tickstream's soak test (issue 5): it starts the
// plugin executable through the plugin protocol with internal/host's harness
// (this program is Grafana), subscribes to and runs many streams at once
// for a long time, and checks two things:
//
//   - no tick is lost: every stream's rows are counted and compared with
//     the grid (consecutive ticks, each once, on the grid, within the
//     limits, batches ending on the batch grid, the first row due right
//     after the stream started and the last one right before it stopped);
//   - memory stays flat: the plugin's RSS, CPU time, goroutines and open
//     files are sampled from /proc (and CollectMetrics) every -sample, and
//     the RSS slope after -warmup is fitted by least squares and must not
//     project a growth over the post-warm-up window of more than
//     -rss-tolerance of the mean RSS (or -rss-floor, whichever is larger).
//
// It prints a sample line as it goes and a Markdown report at the end
// (also written to -report), and exits 1 when a check fails.
//
// Run it with scripts/soak.sh (flags pass through; -h lists them):
//
//	scripts/soak.sh                              # 2,000 streams for 10 minutes
//	scripts/soak.sh -streams 200 -duration 1m    # a quick check of the tool
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tickstream/streaming/internal/bench/procstat"
	"github.com/tickstream/streaming/internal/host"
	"github.com/tickstream/streaming/pkg/channel"
	"github.com/tickstream/streaming/pkg/models"
)

// config is the soak's flags.
type config struct {
	plugin       string
	streams      int
	duration     time.Duration
	sample       time.Duration
	warmup       time.Duration
	ticks        []int64
	series       []int64
	kinds        []string
	jsonData     string
	rssTolerance float64
	rssFloorMiB  float64
	startSlack   time.Duration
	report       string
	commit       string
}

func main() {
	var c config
	var ticks, series, kinds string
	flag.StringVar(&c.plugin, "plugin", os.Getenv("TICKSTREAM_PLUGIN_BINARY"), "the plugin executable (default $TICKSTREAM_PLUGIN_BINARY; scripts/soak.sh builds ./pkg)")
	flag.IntVar(&c.streams, "streams", 2000, "streams running at once, each its own channel")
	flag.DurationVar(&c.duration, "duration", 10*time.Minute, "how long the streams run")
	flag.DurationVar(&c.sample, "sample", 10*time.Second, "time between samples of CPU, RSS, goroutines and files")
	flag.DurationVar(&c.warmup, "warmup", 0, "samples before this are left out of the RSS slope (default: a fifth of -duration, at most 2m)")
	flag.StringVar(&ticks, "ticks", "100,250,500,1000", "tickIntervals in ms, assigned to the streams in turn")
	flag.StringVar(&series, "series", "1,1,1,4", "series counts, assigned to each round of -ticks in turn")
	flag.StringVar(&kinds, "kinds", strings.Join(streamKinds(), ","), "stream kinds, assigned to the streams in turn: "+strings.Join(streamKinds(), ", "))
	flag.StringVar(&c.jsonData, "settings", "{}", "the data source's jsonData")
	flag.Float64Var(&c.rssTolerance, "rss-tolerance", 0.05, "largest RSS growth over the post-warm-up window that the slope may project, as a fraction of the mean RSS")
	flag.Float64Var(&c.rssFloorMiB, "rss-floor", 4, "RSS growth in MiB always tolerated (the allocator's granularity)")
	flag.DurationVar(&c.startSlack, "start-slack", 10*time.Second, "how late a stream's first tick may be after RunStream was called, while the others start")
	flag.StringVar(&c.report, "report", "", "also write the Markdown report to this file")
	flag.StringVar(&c.commit, "commit", "", "the commit the plugin was built from, for the report (default: this working tree's HEAD, noting uncommitted changes in pkg/)")
	flag.Parse()

	var err error
	if c.ticks, err = int64List(ticks); err != nil {
		fatalf("-ticks: %v", err)
	}
	if c.series, err = int64List(series); err != nil {
		fatalf("-series: %v", err)
	}
	c.kinds = strings.Split(kinds, ",")
	if c.plugin == "" {
		fatalf("no plugin executable: pass -plugin or set TICKSTREAM_PLUGIN_BINARY (scripts/soak.sh does)")
	}
	if c.streams < 1 || c.duration <= 0 || c.sample <= 0 {
		fatalf("-streams, -duration and -sample must be positive")
	}
	if c.warmup == 0 {
		c.warmup = min(c.duration/5, 2*time.Minute)
	}

	r, err := soak(c)
	if err != nil {
		fatalf("%v", err)
	}
	md := r.markdown(c)
	fmt.Print("\n" + md)
	if c.report != "" {
		if err := os.WriteFile(c.report, []byte(md), 0o644); err != nil {
			fatalf("write %s: %v", c.report, err)
		}
	}
	if !r.passed() {
		fmt.Fprintln(os.Stderr, "ticksoak: FAILED:", strings.Join(r.failures, "; "))
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "ticksoak: passed")
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ticksoak: "+format+"\n", args...)
	os.Exit(2)
}

func int64List(s string) ([]int64, error) {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a list of positive whole numbers", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// queries returns the soak's stream queries: tick, series and shape in
// turn, seed i, so that every stream has its own channel.
func queries(c config, s models.Settings) ([]models.Query, error) {
	out := make([]models.Query, c.streams)
	for i := range out {
		f := models.DefaultFields()
		f.TickInterval = float64(c.ticks[i%len(c.ticks)])
		f.Series = float64(c.series[(i/len(c.ticks))%len(c.series)])
		f.Shape = string(models.Shapes[i%len(models.Shapes)])
		f.Seed = float64(i)
		if err := applyKind(&f, c.kinds[i%len(c.kinds)]); err != nil {
			return nil, err
		}
		q, errs := f.Validate(s)
		if errs != nil {
			return nil, fmt.Errorf("stream %d (%+v) is refused by the settings: %s", i, f, models.JoinMessages(errs))
		}
		out[i] = q
	}
	return out, nil
}

// soak runs the whole soak and returns its result.
func soak(c config) (*result, error) {
	settings, errs := models.LoadSettings(json.RawMessage(c.jsonData))
	if errs != nil {
		return nil, fmt.Errorf("-settings: %s", models.JoinMessages(errs))
	}
	qs, err := queries(c, settings)
	if err != nil {
		return nil, err
	}
	p, err := host.Start(c.plugin)
	if err != nil {
		return nil, err
	}
	defer p.Stop()
	ds := host.DataSource{ID: 1, UID: "tickstream", Name: "Tickstream", JSONData: []byte(c.jsonData), Updated: time.Now()}
	r := &result{started: time.Now(), pid: p.Pid(), commit: c.commit}
	if r.commit == "" {
		r.commit = gitCommit()
	}
	r.machine, r.loadStart = machineLine(), loadAverage()

	// Interrupting stops the streams and still reports what was seen.
	stopEarly := make(chan os.Signal, 1)
	signal.Notify(stopEarly, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stopEarly)

	if r.baseGoroutines, err = p.Goroutines(context.Background()); err != nil {
		return nil, fmt.Errorf("goroutines before the streams: %w", err)
	}
	r.baseRSS, _ = p.RSS()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	streams := make([]*soakStream, len(qs))
	fmt.Fprintf(os.Stderr, "ticksoak: plugin pid %d; opening %d streams (ticks %v ms, series %v)\n", p.Pid(), len(qs), c.ticks, c.series)
	for i, q := range qs {
		s := &soakStream{path: channel.Format(q), q: q, done: make(chan struct{}),
			perMsg: ceilDiv(1000, settings.MaxMessageRate*q.TickInterval)}
		if err := subscribe(p, ds, s); err != nil {
			return nil, err
		}
		s.started = time.Now()
		go s.run(ctx, p, ds)
		streams[i] = s
	}
	r.openedIn = time.Since(r.started)
	fmt.Fprintf(os.Stderr, "ticksoak: %d streams open in %v; running for %v, a sample every %v\n", len(qs), r.openedIn.Round(time.Millisecond), c.duration, c.sample)

	// Sample until the duration is over.
	smp := newSampler(p)
	end := time.Now().Add(c.duration)
	tick := time.NewTicker(c.sample)
	fmt.Fprintln(os.Stderr, sampleHeader)
loop:
	for time.Now().Before(end) {
		select {
		case <-tick.C:
			sm := smp.take(time.Since(r.started))
			r.samples = append(r.samples, sm)
			fmt.Fprintln(os.Stderr, sm.line())
			if p.Exited() {
				r.failures = append(r.failures, "the plugin process exited during the soak")
				break loop
			}
		case sig := <-stopEarly:
			r.failures = append(r.failures, fmt.Sprintf("interrupted (%v) after %v", sig, time.Since(r.started).Round(time.Second)))
			break loop
		}
	}
	tick.Stop()
	r.stopped, r.loadEnd = time.Now(), loadAverage()
	cancel()
	var wg sync.WaitGroup
	for _, s := range streams {
		wg.Add(1)
		go func() { defer wg.Done(); <-s.done }()
	}
	waited := make(chan struct{})
	go func() { wg.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(30 * time.Second):
		r.failures = append(r.failures, "some RunStream calls did not end within 30 s of cancellation")
	}
	r.cpu, _ = procstat.CPU(p.Pid())

	// After the last subscriber leaves, the plugin's goroutines go back.
	deadline := time.Now().Add(20 * time.Second)
	for {
		g, err := p.Goroutines(context.Background())
		if err == nil {
			r.endGoroutines = g
			if g <= r.baseGoroutines+5 {
				break
			}
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	r.behindWarnings = strings.Count(p.Log(), "Stream fell behind")
	r.evaluate(c, streams)
	return r, nil
}

// subscribe does what Grafana does before the first RunStream of a
// channel: SubscribeStream, which must accept the path and hand back the
// schema of time and the query's series.
func subscribe(p *host.Plugin, ds host.DataSource, s *soakStream) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := p.SubscribeStream(ctx, ds, s.path, nil)
	if err != nil {
		return fmt.Errorf("SubscribeStream(%s): %w", s.path, err)
	}
	if resp.Status.String() != "OK" {
		return fmt.Errorf("SubscribeStream(%s): %v", s.path, resp.Status)
	}
	f, err := host.DecodeFrame(resp.Data, nil)
	if err != nil {
		return fmt.Errorf("SubscribeStream(%s): InitialData: %w", s.path, err)
	}
	if len(f.Fields) != s.fieldCount() {
		return fmt.Errorf("SubscribeStream(%s): schema of %d fields for %d series, want %d", s.path, len(f.Fields), s.q.Series, s.fieldCount())
	}
	return nil
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }
