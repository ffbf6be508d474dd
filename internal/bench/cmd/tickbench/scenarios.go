package main

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/tickstream/streaming/internal/host"
)

// The data sources the scenarios use. Every run gets a fresh process, so
// the instance cache never mixes them.
var (
	dsDefault = host.DataSource{ID: 1, UID: "bench", Name: "bench", JSONData: []byte(`{}`), Updated: time.Unix(1, 0)}
	// dsFast allows the 1 ms × 100 series stream of scenario c.
	dsFast = host.DataSource{ID: 2, UID: "bench-fast", Name: "bench-fast", Updated: time.Unix(2, 0),
		JSONData: []byte(`{"minTickInterval":1,"maxPointsPerSecond":1000000,"maxSeries":100}`)}
	// dsTiming lets a 10 ms stream send every tick (maxMessageRate 100)
	// once message batching exists; until then the field is ignored.
	dsTiming = host.DataSource{ID: 3, UID: "bench-timing", Name: "bench-timing", Updated: time.Unix(3, 0),
		JSONData: []byte(`{"maxMessageRate":100}`)}
	// dsHistory allows 100 series per query.
	dsHistory = host.DataSource{ID: 4, UID: "bench-history", Name: "bench-history", Updated: time.Unix(4, 0),
		JSONData: []byte(`{"maxSeries":100}`)}
)

// paths returns n distinct Tickstream paths at tick ms (seeds 0…n-1) with
// an optional extra segment such as "/series=100".
func paths(n int, tick int64, extra string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("v1/t=%d/lo=0/hi=100/seed=%d%s", tick, i, extra)
	}
	return out
}

// idlePaths are n paths on which the echo plugin only waits.
func idlePaths(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("idle/%d", i)
	}
	return out
}

// pacedPaths are n paths on which the echo plugin sends one message every
// ms milliseconds.
func pacedPaths(n int, ms int64) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("paced/%d/%d", ms, i)
	}
	return out
}

// prefixed is paths each with prefix in front.
func prefixed(prefix string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = prefix + p
	}
	return out
}

// plugins are the two plugins every stream scenario compares.
func (b *bench) plugins() []struct{ name, bin string } {
	return []struct{ name, bin string }{{"baseline", b.bins["baseline"]}, {"tickstream", b.bins["tickstream"]}}
}

// scenarioA: 10,000 streams at 1 s.
func (b *bench) scenarioA(ctx context.Context) error {
	b.logf("a. %d streams at 1 s, %v window", b.streamsA, b.durA)
	runs := map[string]*streamRun{}
	for _, pl := range b.plugins() {
		r, err := b.runStreams(ctx, runSpec{label: pl.name + "-a", bin: pl.bin, ds: dsDefault,
			paths: paths(b.streamsA, 1000, ""), opts: streamOpts{parse: true, tick: 1000, grid: pl.name == "tickstream"},
			warmup: b.warmup, dur: b.durA, profile: b.pprofDir != ""})
		if err != nil {
			return fmt.Errorf("%s: %w", pl.name, err)
		}
		runs[pl.name] = r
		b.addProfile("a", pl.name, pl.bin, r.profile)
	}
	bs, ts := runs["baseline"], runs["tickstream"]
	sc := fmt.Sprintf("a. %d streams × 1 s", b.streamsA)
	b.noteStarved(sc, runs)
	b.row(sc, "plugin CPU", "cores", num(bs.cpu.PluginCores()), num(ts.cpu.PluginCores()))
	b.row(sc, "plugin CPU per point", "µs", num(usPer(bs.cpu.Plugin, bs.tot.points)), num(usPer(ts.cpu.Plugin, ts.tot.points)))
	b.row(sc, "plugin RSS at end", "MiB", num(mib(bs.rssKB)), num(mib(ts.rssKB)))
	b.memoryRows(sc, bs, ts)
	b.row(sc, "ticks delivered / expected", "%", num(deliveredPct(bs)), num(deliveredPct(ts)))
	b.row(sc, "fewest ticks of one stream / expected", "ticks", txt(fmt.Sprintf("%d / %d", bs.tot.minRows, bs.expectedRows)), txt(fmt.Sprintf("%d / %d", ts.tot.minRows, ts.expectedRows)))
	b.row(sc, "gaps (grid ticks missing between messages)", "ticks", txt("— (not on a grid)"), num(float64(ts.tot.gaps)))
	b.row(sc, "host CPU (receiving, apart)", "cores", num(bs.cpu.HostCores()), num(ts.cpu.HostCores()))
	b.row(sc, "bytes per message", "B", num(float64(bs.tot.bytes)/float64(max(bs.tot.msgs, 1))), num(float64(ts.tot.bytes)/float64(max(ts.tot.msgs, 1))))
	b.noteErrors(sc, runs)

	every := ts.tot.rows == int64(ts.tot.streams)*ts.expectedRows && ts.tot.gaps == 0 && ts.tot.dups == 0 && ts.tot.errors == 0
	cpuR := ts.cpu.PluginCores() / bs.cpu.PluginCores()
	rssR := float64(ts.rssKB) / float64(bs.rssKB)
	b.target("1", "10k streams at 1 s: CPU ≤ 1/5 of baseline, RSS ≤ 1/2, every tick delivered",
		cpuR <= 0.2 && rssR <= 0.5 && every,
		fmt.Sprintf("CPU ratio %.3f (%s), RSS ratio %.3f (%s), ticks %d/%d%s", cpuR, by(cpuR, 0.2), rssR, by(rssR, 0.5),
			ts.tot.rows, int64(ts.tot.streams)*ts.expectedRows, gapText(ts.tot)))
	b.streamA = runs
	return nil
}

// memoryRows breaks down a stream scenario's RSS at the end of its window:
// what the streams added to the fresh process per stream, and the Go
// runtime's stacks, heap in use and heap goal, which show how much of the
// heap is garbage the collector has not come round to (issue 13).
func (b *bench) memoryRows(sc string, bs, ts *streamRun) {
	perStream := func(r *streamRun) val {
		return num(float64(r.rssKB-r.rss0KB) / float64(max(r.tot.streams, 1)))
	}
	gauge := func(r *streamRun, name string) val {
		v, ok := r.mem[name]
		if !ok {
			return na("n/a")
		}
		return num(v / (1 << 20))
	}
	b.row(sc, "plugin RSS the streams added, per stream", "KiB", perStream(bs), perStream(ts))
	b.row(sc, "  Go stacks in use at end", "MiB", gauge(bs, "go_memstats_stack_inuse_bytes"), gauge(ts, "go_memstats_stack_inuse_bytes"))
	b.row(sc, "  Go heap in use at end", "MiB", gauge(bs, "go_memstats_heap_inuse_bytes"), gauge(ts, "go_memstats_heap_inuse_bytes"))
	b.row(sc, "  Go heap goal (next GC) at end", "MiB", gauge(bs, "go_memstats_next_gc_bytes"), gauge(ts, "go_memstats_next_gc_bytes"))
	b.row(sc, "  Go heap released to the OS at end", "MiB", gauge(bs, "go_memstats_heap_released_bytes"), gauge(ts, "go_memstats_heap_released_bytes"))
	cycles := func(r *streamRun) val {
		if _, ok := r.mem["go_gc_duration_seconds_count"]; !ok {
			return na("n/a")
		}
		return num(r.windowGCs)
	}
	b.row(sc, "  GC cycles in the window", "", cycles(bs), cycles(ts))
}

// noteStarved flags a run whose plugin delivered well under its ticks: it
// did less work than asked (starved by the machine's load or by itself),
// so its CPU per point is not comparable.
func (b *bench) noteStarved(scenario string, runs map[string]*streamRun) {
	for _, name := range []string{"baseline", "tickstream"} {
		r := runs[name]
		if pct := deliveredPct(r); pct < 99 {
			b.notes = append(b.notes, fmt.Sprintf("%s: %s delivered only %.1f%% of its ticks, so it did less work than asked and its CPU figures (and the CPU ratio) are not comparable; rerun on a quieter machine", scenario, name, pct))
		}
	}
}

// scenarioB: 1,000 streams at 100 ms.
func (b *bench) scenarioB(ctx context.Context) error {
	b.logf("b. %d streams at 100 ms, %v window", b.streamsB, b.durB)
	runs := map[string]*streamRun{}
	for _, pl := range b.plugins() {
		r, err := b.runStreams(ctx, runSpec{label: pl.name + "-b", bin: pl.bin, ds: dsDefault,
			paths: paths(b.streamsB, 100, ""), opts: streamOpts{parse: true, tick: 100, grid: pl.name == "tickstream"},
			warmup: b.warmup, dur: b.durB, profile: b.pprofDir != ""})
		if err != nil {
			return fmt.Errorf("%s: %w", pl.name, err)
		}
		runs[pl.name] = r
		b.addProfile("b", pl.name, pl.bin, r.profile)
	}
	bs, ts := runs["baseline"], runs["tickstream"]
	sc := fmt.Sprintf("b. %d streams × 100 ms", b.streamsB)
	b.noteStarved(sc, runs)
	b.row(sc, "plugin CPU", "cores", num(bs.cpu.PluginCores()), num(ts.cpu.PluginCores()))
	b.row(sc, "plugin CPU per point", "µs", num(usPer(bs.cpu.Plugin, bs.tot.points)), num(usPer(ts.cpu.Plugin, ts.tot.points)))
	b.row(sc, "plugin CPU per message", "µs", num(usPer(bs.cpu.Plugin, bs.tot.winMsgs)), num(usPer(ts.cpu.Plugin, ts.tot.winMsgs)))
	b.row(sc, "plugin RSS at end", "MiB", num(mib(bs.rssKB)), num(mib(ts.rssKB)))
	b.row(sc, "ticks delivered / expected", "%", num(deliveredPct(bs)), num(deliveredPct(ts)))
	b.row(sc, "fewest ticks of one stream / expected", "ticks", txt(fmt.Sprintf("%d / %d", bs.tot.minRows, bs.expectedRows)), txt(fmt.Sprintf("%d / %d", ts.tot.minRows, ts.expectedRows)))
	b.row(sc, "gaps / repeated grid ticks", "ticks", txt("— (not on a grid)"), txt(fmt.Sprintf("%d / %d", ts.tot.gaps, ts.tot.dups)))
	b.row(sc, "ticks per message", "", num(float64(bs.tot.rows)/float64(max(bs.tot.winMsgs, 1))), num(float64(ts.tot.rows)/float64(max(ts.tot.winMsgs, 1))))
	b.row(sc, "host CPU (receiving, apart)", "cores", num(bs.cpu.HostCores()), num(ts.cpu.HostCores()))
	b.noteErrors(sc, runs)
	b.streamB = map[string]*streamRun{"baseline": bs, "tickstream": ts}
	return nil
}

// scenarioC: one stream at 1 ms; Tickstream with 100 series coalesced.
func (b *bench) scenarioC(ctx context.Context) error {
	b.logf("c. one stream at 1 ms, %v window", b.durC)
	sc := fmt.Sprintf("c. 1 stream × 1 ms (%v)", b.durC)
	bs, err := b.runStreams(ctx, runSpec{label: "baseline-c", bin: b.bins["baseline"], ds: dsDefault,
		paths: paths(1, 1, ""), opts: streamOpts{parse: true, tick: 1}, warmup: 2 * time.Second, dur: b.durC})
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	b.row(sc, "baseline 1 series: plugin CPU per point", "µs", num(usPer(bs.cpu.Plugin, bs.tot.points)), txt("—"))
	b.row(sc, "baseline 1 series: ticks lost", "ticks", num(float64(max(bs.expectedRows-bs.tot.rows, 0))), txt("—"))

	// Does this Tickstream have series? Ask SubscribeStream, then look at
	// what the stream sends.
	ts, why, err := b.runSeries(ctx, runSpec{label: "tickstream-c", bin: b.bins["tickstream"], ds: dsFast,
		paths: paths(1, 1, "/series=100"), opts: streamOpts{parse: true, tick: 1, grid: true},
		warmup: 2 * time.Second, dur: b.durC, profile: b.pprofDir != ""}, 100)
	if err != nil {
		return err
	}
	if ts == nil {
		b.row(sc, "Tickstream 100 series coalesced: CPU per point", "µs", txt("—"), na(why))
		b.row(sc, "Tickstream 100 series coalesced: ticks lost", "ticks", txt("—"), na(why))
		b.targetNA("3", "1 ms × 100 series coalesced: CPU/point ≤ 1/50 of baseline's one series, no tick lost over 60 s", why)
		// For information: the same stream with one series.
		one, err := b.runStreams(ctx, runSpec{label: "tickstream-c1", bin: b.bins["tickstream"], ds: dsFast,
			paths: paths(1, 1, ""), opts: streamOpts{parse: true, tick: 1, grid: true}, warmup: 2 * time.Second, dur: b.durC})
		if err != nil {
			return fmt.Errorf("tickstream 1 series: %w", err)
		}
		b.row(sc, "Tickstream 1 series (for information): CPU per point", "µs", num(usPer(bs.cpu.Plugin, bs.tot.points)), num(usPer(one.cpu.Plugin, one.tot.points)))
		b.row(sc, "Tickstream 1 series: messages per second", "msg/s", num(float64(bs.tot.winMsgs)/b.durC.Seconds()), num(float64(one.tot.winMsgs)/b.durC.Seconds()))
		b.row(sc, "Tickstream 1 series: ticks lost", "ticks", num(float64(max(bs.expectedRows-bs.tot.rows, 0))), num(float64(max(one.expectedRows-one.tot.rows, 0)+one.tot.gaps)))
		return nil
	}
	b.addProfile("c", "tickstream", b.bins["tickstream"], ts.profile)
	lost := max(ts.expectedRows-ts.tot.rows, 0) + ts.tot.gaps
	basePP := usPer(bs.cpu.Plugin, bs.tot.points)
	tsPP := usPer(ts.cpu.Plugin, ts.tot.points)
	b.row(sc, "CPU per point (baseline 1 series, Tickstream 100 series)", "µs", num(basePP), num(tsPP))
	b.row(sc, "plugin CPU", "cores", num(bs.cpu.PluginCores()), num(ts.cpu.PluginCores()))
	b.row(sc, "messages per second", "msg/s", num(float64(bs.tot.winMsgs)/b.durC.Seconds()), num(float64(ts.tot.winMsgs)/b.durC.Seconds()))
	b.row(sc, "ticks lost", "ticks", num(float64(max(bs.expectedRows-bs.tot.rows, 0))), num(float64(lost)))
	r := tsPP / basePP
	long := ""
	if b.durC < time.Minute {
		long = fmt.Sprintf(" (over %v; the target's 60 s needs -long)", b.durC)
	}
	b.target("3", "1 ms × 100 series coalesced: CPU/point ≤ 1/50 of baseline's one series, no tick lost over 60 s",
		r <= 0.02 && lost == 0 && b.durC >= time.Minute,
		fmt.Sprintf("CPU/point ratio %.4f (%s), %d ticks lost%s", r, by(r, 0.02), lost, long))
	return nil
}

// runSeries runs spec if the plugin accepts its path and sends want series;
// otherwise it returns nil and why not.
func (b *bench) runSeries(ctx context.Context, spec runSpec, want int) (*streamRun, string, error) {
	p, err := startPlugin(spec.bin, false)
	if err != nil {
		return nil, "", err
	}
	resp, err := p.SubscribeStream(ctx, spec.ds, spec.paths[0], nil)
	p.Stop()
	if err != nil {
		return nil, "", err
	}
	if resp.Status != pluginv2.SubscribeStreamResponse_OK {
		return nil, fmt.Sprintf("n/a: %s refused (%v): no series yet", spec.paths[0], resp.Status), nil
	}
	r, err := b.runStreams(ctx, spec)
	if err != nil {
		return nil, "", err
	}
	if r.tot.series != want {
		return nil, fmt.Sprintf("n/a: %s sends %d series, not %d", spec.paths[0], r.tot.series, want), nil
	}
	return r, "", nil
}

// scenarioD: history through QueryData.
func (b *bench) scenarioD(ctx context.Context) error {
	b.logf("d. QueryData, 100 series × 10,000 points")
	sc := "d. history (QueryData)"
	p, err := startPlugin(b.bins["tickstream"], false)
	if err != nil {
		return err
	}
	defer p.Stop()
	now := time.Now()
	from := now.Add(-10_000 * time.Second).Add(time.Millisecond)
	series := host.Query{RefID: "A", JSON: []byte(`{"tickInterval":1000,"series":100}`), From: from, To: now, MaxDataPoints: 10_000}
	res, err := p.QueryData(ctx, dsHistory, series)
	if err != nil {
		return err
	}
	queries := []host.Query{series}
	mode := "1 query × 100 series"
	if r := res["A"]; r.Error != "" || len(r.Frames) != 1 || len(r.Frames[0].Fields) != 101 {
		// No series yet: the same million points as 100 one-series queries.
		mode = "100 queries × 1 series (no series in this Tickstream)"
		queries = queries[:0]
		for i := range 100 {
			queries = append(queries, host.Query{RefID: fmt.Sprintf("A%d", i),
				JSON: fmt.Appendf(nil, `{"tickInterval":1000,"seed":%d}`, i), From: from, To: now, MaxDataPoints: 10_000})
		}
	}
	req := &pluginv2.QueryDataRequest{PluginContext: dsHistory.PluginContext()}
	for _, q := range queries {
		req.Queries = append(req.Queries, &pluginv2.DataQuery{RefId: q.RefID, Json: q.JSON, MaxDataPoints: q.MaxDataPoints,
			TimeRange: &pluginv2.TimeRange{FromEpochMS: q.From.UnixMilli(), ToEpochMS: q.To.UnixMilli()}})
	}
	var calls, decodes []int64
	var points, bytes int64
	for i := range b.repsD + 1 {
		t0 := time.Now()
		resp, err := p.Data.QueryData(ctx, req)
		if err != nil {
			return err
		}
		call := time.Since(t0)
		t1 := time.Now()
		points, bytes = 0, 0
		for refID, r := range resp.Responses {
			if r.Error != "" {
				return fmt.Errorf("refId %s: %s", refID, r.Error)
			}
			frames, err := data.UnmarshalArrowFrames(r.Frames)
			if err != nil {
				return err
			}
			for _, f := range frames {
				rows, _ := f.RowLen()
				points += int64(rows) * int64(len(f.Fields)-1)
			}
			for _, fb := range r.Frames {
				bytes += int64(len(fb))
			}
		}
		decode := time.Since(t1)
		if i == 0 {
			continue // warm-up
		}
		calls = append(calls, int64(call))
		decodes = append(decodes, int64(decode))
	}
	sortInts(calls)
	sortInts(decodes)
	med := time.Duration(calls[len(calls)/2])
	medDec := time.Duration(decodes[len(decodes)/2])
	b.row(sc, "mode: "+mode, "", txt("no history (QueryData empty)"), txt(fmt.Sprintf("%d points, %.1f MB Arrow", points, float64(bytes)/1e6)))
	b.row(sc, fmt.Sprintf("QueryData call, median of %d", len(calls)), "ms", na("n/a"), num(ms(med)))
	b.row(sc, "host Arrow decode, median (apart)", "ms", na("n/a"), num(ms(medDec)))
	b.row(sc, "end to end per point", "ns", na("n/a"), num(float64(med.Nanoseconds())/float64(max(points, 1))))
	b.historyMs, b.historyPoints = ms(med), points
	return nil
}

// scenarioE: lag and drift at 10 ms, idle then with every core busy.
func (b *bench) scenarioE(ctx context.Context) error {
	b.logf("e. timing at 10 ms, %v idle and %v loaded", b.durE, b.durE)
	sc := "e. 1 stream × 10 ms timing"
	type res struct{ idle, loaded *streamRun }
	out := map[string]res{}
	for _, pl := range b.plugins() {
		var r res
		for _, loaded := range []bool{false, true} {
			var sp spinners
			spec := runSpec{label: pl.name + "-e", bin: pl.bin, ds: dsTiming, paths: paths(1, 10, ""),
				opts: streamOpts{parse: true, tick: 10, grid: pl.name == "tickstream", lags: true}, warmup: 2 * time.Second, dur: b.durE}
			if loaded {
				spec.duringFn = func() {
					var err error
					if sp, err = startSpinners(b.machine.Cores); err != nil {
						b.logf("  spinners: %v", err)
					}
				}
			}
			run, err := b.runStreams(ctx, spec)
			sp.Stop()
			if err != nil {
				return fmt.Errorf("%s: %w", pl.name, err)
			}
			if loaded {
				r.loaded = run
			} else {
				r.idle = run
			}
		}
		out[pl.name] = r
	}
	for _, cond := range []string{"idle", "loaded"} {
		get := func(name string) *streamRun {
			if cond == "idle" {
				return out[name].idle
			}
			return out[name].loaded
		}
		bs, ts := get("baseline"), get("tickstream")
		for _, q := range []struct {
			name string
			p    float64
		}{{"p50", 0.5}, {"p99", 0.99}, {"max", 1}} {
			b.row(sc, fmt.Sprintf("%s: lag tick→receive %s", cond, q.name), "ms", num(lagMs(bs, q.p)), num(lagMs(ts, q.p)))
		}
		b.row(sc, cond+": drift, max |timestamp − grid|", "ms", num(float64(bs.tot.maxOffGridNs)/1e6), num(float64(ts.tot.maxOffGridNs)/1e6))
		b.row(sc, cond+": ticks missed", "ticks", num(float64(missed(bs))), num(float64(missed(ts))))
	}
	ti, tl := out["tickstream"].idle, out["tickstream"].loaded
	p99 := lagMs(ti, 0.99)
	b.target("5", "10 ms tick: lag p99 < 2 ms idle; no drift and no missed tick with both cores loaded",
		p99 < 2 && tl.tot.maxOffGridNs == 0 && missed(tl) == 0,
		fmt.Sprintf("idle p99 %.2f ms (%s); loaded: drift %.3f ms, %d missed, p99 %.2f ms", p99, by(p99, 2), float64(tl.tot.maxOffGridNs)/1e6, missed(tl), lagMs(tl, 0.99)))
	return nil
}

// scenarioF: the protocol's ceiling, pre-encoded bytes from the echo plugin.
func (b *bench) scenarioF(ctx context.Context) error {
	b.logf("f. ceiling: echo plugin, %v per run", b.durF)
	sc := "f. ceiling (echo plugin, pre-encoded 1-point frame)"
	var best float64
	for _, n := range []int{1, b.machine.Cores} {
		r, err := b.runStreams(ctx, runSpec{label: fmt.Sprintf("echo-%d", n), bin: b.bins["echo"], ds: dsDefault,
			paths: paths(n, 1000, ""), opts: streamOpts{}, warmup: time.Second, dur: b.durF})
		if err != nil {
			return fmt.Errorf("echo: %w", err)
		}
		// Messages count by arrival inside the CPU window.
		rate := float64(r.tot.winMsgs) / r.cpu.Wall.Seconds()
		us := usPer(r.cpu.Plugin, r.tot.winMsgs)
		name := fmt.Sprintf("%d stream(s)", n)
		b.row(sc, name+": messages (= points) per second", "msg/s", txt("—"), num(rate))
		b.row(sc, name+": plugin CPU / host CPU", "cores", txt("—"), txt(fmt.Sprintf("%.2f / %.2f", r.cpu.PluginCores(), r.cpu.HostCores())))
		b.row(sc, name+": plugin CPU per message", "µs", txt("—"), num(us))
		b.row(sc, name+": points per second per plugin core", "pt/s", txt("—"), num(rate/r.cpu.PluginCores()))
		if best == 0 || us < best {
			best = us
		}
	}
	b.floorUs = best

	// The same bytes in scenario b's pattern: every stream one message
	// per tick, sent in a row from one goroutine per core.
	r, err := b.runStreams(ctx, runSpec{label: "echo-paced", bin: b.bins["echo"], ds: dsDefault,
		paths: pacedPaths(b.streamsB, 100), opts: streamOpts{}, warmup: b.warmup, dur: b.durB})
	if err != nil {
		return fmt.Errorf("echo paced: %w", err)
	}
	b.pacedFloorUs = usPer(r.cpu.Plugin, r.tot.winMsgs)
	name := fmt.Sprintf("%d streams × 100 ms, sent in a row per core (b's pattern)", b.streamsB)
	b.row(sc, name+": plugin CPU per message", "µs", txt("—"), num(b.pacedFloorUs))
	b.row(sc, name+": plugin CPU / host CPU", "cores", txt("—"), txt(fmt.Sprintf("%.2f / %.2f", r.cpu.PluginCores(), r.cpu.HostCores())))
	if bt := b.streamB; bt != nil {
		ts, bs := bt["tickstream"], bt["baseline"]
		tsMsg := usPer(ts.cpu.Plugin, ts.tot.winMsgs)
		bsMsg := usPer(bs.cpu.Plugin, bs.tot.winMsgs)
		b.row(sc, "scenario b's CPU per message / ceiling's", "×", num(bsMsg/best), num(tsMsg/best))
		b.row(sc, "scenario b's CPU per message / paced ceiling's", "×", num(bsMsg/b.pacedFloorUs), num(tsMsg/b.pacedFloorUs))
	}
	return nil
}

// scenarioG: memory per idle stream and per series.
func (b *bench) scenarioG(ctx context.Context) error {
	b.logf("g. %d idle streams at 1 h", b.streamsG)
	sc := fmt.Sprintf("g. memory, %d idle streams × 1 h", b.streamsG)
	per := map[string]idleCost{}
	for _, pl := range b.plugins() {
		c, err := b.idleDelta(ctx, pl.bin, dsDefault, paths(b.streamsG, 3_600_000, ""))
		if err != nil {
			return fmt.Errorf("%s: %w", pl.name, err)
		}
		per[pl.name] = c
	}
	floor, err := b.idleDelta(ctx, b.bins["echo"], dsDefault, idlePaths(b.streamsG))
	if err != nil {
		return fmt.Errorf("echo: %w", err)
	}
	n := float64(b.streamsG)
	bs, ts := per["baseline"], per["tickstream"]
	b.row(sc, "RSS per idle stream", "KiB", num(bs.rssKB/n), num(ts.rssKB/n))
	b.row(sc, "  of which Go stacks", "KiB", num(bs.stackKB/n), num(ts.stackKB/n))
	b.row(sc, "  of which Go heap in use", "KiB", num(bs.heapKB/n), num(ts.heapKB/n))
	b.row(sc, "floor: RSS / stacks / heap per stream that only waits (echo plugin)", "KiB", txt("—"),
		txt(fmt.Sprintf("%.1f / %.1f / %.1f", floor.rssKB/n, floor.stackKB/n, floor.heapKB/n)))
	b.row(sc, "goroutines per idle stream", "", num(bs.goroutines/n), num(ts.goroutines/n))
	b.row(sc, "plugin CPU while idle", "cores", num(bs.cores), num(ts.cores))
	b.floorStreamKB = floor.rssKB / n
	b.floorBaseKB = floor.rss0KB
	b.floorStackKB = floor.stackKB / n
	b.idleStreamKB = map[string]float64{"baseline": bs.rssKB / n, "tickstream": ts.rssKB / n}

	// Per series: 1,000 streams of 100 series against 1,000 of one.
	const nSeries = 1000
	pp, err := startPlugin(b.bins["tickstream"], false)
	if err != nil {
		return err
	}
	resp, err := pp.SubscribeStream(ctx, dsHistory, paths(1, 3_600_000, "/series=100")[0], nil)
	pp.Stop()
	if err != nil {
		return err
	}
	if resp.Status != pluginv2.SubscribeStreamResponse_OK {
		b.row(sc, "RSS per series (1,000 streams × 100 series vs × 1)", "B", na("n/a"), na(fmt.Sprintf("n/a: series=100 refused (%v)", resp.Status)))
		return nil
	}
	// Idle streams send nothing to look at: ask QueryData whether series
	// exist.
	if ok, err := b.hasSeries(ctx); err != nil {
		return err
	} else if !ok {
		b.row(sc, "RSS per series (1,000 streams × 100 series vs × 1)", "B", na("n/a"), na("n/a: QueryData with series 3 returns one series"))
		return nil
	}
	one, err := b.idleDelta(ctx, b.bins["tickstream"], dsHistory, paths(nSeries, 3_600_000, ""))
	if err != nil {
		return err
	}
	hundred, err := b.idleDelta(ctx, b.bins["tickstream"], dsHistory, paths(nSeries, 3_600_000, "/series=100"))
	if err != nil {
		return err
	}
	b.row(sc, "RSS per series (1,000 streams × 100 series vs × 1)", "B", na("n/a"), num((hundred.rssKB-one.rssKB)*1024/(nSeries*99)))
	b.row(sc, "heap per series (same)", "B", na("n/a"), num((hundred.heapKB-one.heapKB)*1024/(nSeries*99)))
	return nil
}

// idleCost is what n idle streams add to a fresh plugin: RSS, Go stacks
// and heap in KiB, goroutines, and the CPU they cost while idle.
type idleCost struct {
	rssKB, stackKB, heapKB, goroutines, cores float64
	rss0KB                                    float64 // the fresh process's, before the streams
}

func (b *bench) idleDelta(ctx context.Context, bin string, ds host.DataSource, ps []string) (idleCost, error) {
	var c idleCost
	p, err := startPlugin(bin, false)
	if err != nil {
		return c, err
	}
	defer p.Stop()
	sleepCtx(ctx, time.Second)
	rss0, err := p.RSS()
	if err != nil {
		return c, err
	}
	m0 := goMetrics(ctx, p)
	set, err := openStreams(ctx, p, ds, ps, streamOpts{parse: true}, true)
	if err != nil {
		return c, err
	}
	defer set.Stop()
	sleepCtx(ctx, 3*time.Second)
	meter, err := startMeter(p.Pid())
	if err != nil {
		return c, err
	}
	sleepCtx(ctx, 3*time.Second)
	if err := meter.Stop(); err != nil {
		return c, err
	}
	rss1, err := p.RSS()
	if err != nil {
		return c, err
	}
	m1 := goMetrics(ctx, p)
	c.rssKB = float64(rss1-rss0) / 1024
	c.rss0KB = float64(rss0) / 1024
	c.stackKB = (m1["go_memstats_stack_inuse_bytes"] - m0["go_memstats_stack_inuse_bytes"]) / 1024
	c.heapKB = (m1["go_memstats_heap_inuse_bytes"] - m0["go_memstats_heap_inuse_bytes"]) / 1024
	c.goroutines = m1["go_goroutines"] - m0["go_goroutines"]
	c.cores = meter.PluginCores()
	return c, nil
}

// goMetrics reads the Go collector's unlabelled gauges from the plugin's
// metrics (empty when it has none).
func goMetrics(ctx context.Context, p *host.Plugin) map[string]float64 {
	out, err := p.GoMetrics(ctx)
	if err != nil {
		return map[string]float64{}
	}
	return out
}

func usPer(d time.Duration, n int64) float64 {
	if n <= 0 {
		return math.NaN()
	}
	return float64(d.Nanoseconds()) / 1e3 / float64(n)
}

func mib(kb int64) float64       { return float64(kb) / 1024 }
func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }
func missed(r *streamRun) int64  { return max(r.expectedRows*int64(r.tot.streams)-r.tot.rows, 0) }
func deliveredPct(r *streamRun) float64 {
	return 100 * float64(r.tot.rows) / float64(max(r.expectedRows*int64(r.tot.streams), 1))
}

func lagMs(r *streamRun, p float64) float64 {
	l := append([]int64(nil), r.tot.lagsNs...)
	sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	return float64(percentile(l, p)) / 1e6
}

func gapText(t totals) string {
	var parts []string
	if t.gaps > 0 {
		parts = append(parts, fmt.Sprintf("%d gaps", t.gaps))
	}
	if t.dups > 0 {
		parts = append(parts, fmt.Sprintf("%d repeated", t.dups))
	}
	if t.errors > 0 {
		parts = append(parts, fmt.Sprintf("%d stream errors", t.errors))
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}

// by says how far a measured value is from a "≤ goal" target.
func by(v, goal float64) string {
	if v <= goal {
		return fmt.Sprintf("met, %.1f× under", goal/v)
	}
	return fmt.Sprintf("missed by %.1f×", v/goal)
}

// hasSeries reports whether Tickstream answers a query with series 3 with
// three value fields.
func (b *bench) hasSeries(ctx context.Context) (bool, error) {
	p, err := startPlugin(b.bins["tickstream"], false)
	if err != nil {
		return false, err
	}
	defer p.Stop()
	now := time.Now()
	res, err := p.QueryData(ctx, dsHistory, host.Query{RefID: "A", JSON: []byte(`{"tickInterval":1000,"series":3}`),
		From: now.Add(-time.Minute), To: now, MaxDataPoints: 100})
	if err != nil {
		return false, err
	}
	r := res["A"]
	return r.Error == "" && len(r.Frames) == 1 && len(r.Frames[0].Fields) == 4, nil
}
