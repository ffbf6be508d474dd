package main

import (
	"context"
	"fmt"
	"sort"
)

// cpuGoal is issue 22's target: scenario a's load with the echo plugin
// beside it, judged on medians of several long windows.
const cpuGoal = "10k streams at 1 s: plugin CPU ≤ 1.5× the echo plugin's at the same streams and rate and ≤ 0.15× the baseline's, RSS ≤ the echo floor + 4 KiB a stream, every tick delivered (medians of -runs-h rounds)"

// scenarioH: issue 22's acceptance run. Each round runs, one after the
// other on fresh processes, the echo plugin sending its pre-encoded
// one-point frame on as many paced streams at 1 s (the least CPU the
// protocol allows for this traffic), the baseline, and Tickstream, each
// for a window of -dur-h; then the echo plugin's idle streams for the
// memory floor. A fourth run each round is the echo plugin's paced
// streams held by Tickstream's memory limit (echo's "limited/" paths):
// the least CPU a plugin served by the SDK pays for this traffic while its
// memory stays near the floor, which shows whether the CPU and RSS targets
// can be met together at all. Rounds interleave the plugins, so that a machine whose
// load drifts during the run weighs on all of them alike, and the
// figures are the medians over the rounds.
func (b *bench) scenarioH(ctx context.Context) error {
	n := b.streamsA
	sc := fmt.Sprintf("h. %d streams × 1 s, median of %d × %v", n, b.runsH, b.durH)
	b.logf("%s", sc)
	var echo, echoLimited, base, ts []*streamRun
	var floor []idleCost
	for round := 1; round <= b.runsH; round++ {
		b.logf("h. round %d of %d (load average %s)", round, b.runsH, loadAvg())
		for _, r := range []struct {
			label string
			bin   string
			paths []string
			opts  streamOpts
			into  *[]*streamRun
		}{
			{"echo-paced", b.bins["echo"], pacedPaths(n, 1000), streamOpts{}, &echo},
			{"echo-limited", b.bins["echo"], prefixed("limited/", pacedPaths(n, 1000)), streamOpts{}, &echoLimited},
			{"baseline", b.bins["baseline"], paths(n, 1000, ""), streamOpts{parse: true, tick: 1000}, &base},
			{"tickstream", b.bins["tickstream"], paths(n, 1000, ""), streamOpts{parse: true, tick: 1000, grid: true}, &ts},
		} {
			label := fmt.Sprintf("%s-h%d", r.label, round)
			run, err := b.runStreams(ctx, runSpec{label: label, bin: r.bin, ds: dsDefault, paths: r.paths, opts: r.opts,
				warmup: b.warmup, dur: b.durH, profile: b.pprofDir != "" && r.label == "tickstream"})
			if err != nil {
				return fmt.Errorf("%s: %w", label, err)
			}
			b.logf("  %s: plugin %.4f cores, RSS %.1f MiB, %d messages in the window", label, run.cpu.PluginCores(), mib(run.rssKB), run.tot.winMsgs)
			*r.into = append(*r.into, run)
			b.addProfile("h", label, r.bin, run.profile)
		}
		idle, err := b.idleDelta(ctx, b.bins["echo"], dsDefault, idlePaths(n))
		if err != nil {
			return fmt.Errorf("echo idle floor: %w", err)
		}
		floor = append(floor, idle)
	}

	cores := func(runs []*streamRun) float64 {
		return median(runs, func(r *streamRun) float64 { return r.cpu.PluginCores() })
	}
	rss := func(runs []*streamRun) float64 {
		return median(runs, func(r *streamRun) float64 { return float64(r.rssKB) })
	}
	echoCores, baseCores, tsCores := cores(echo), cores(base), cores(ts)
	floorKB := medianOf(floor, func(c idleCost) float64 { return c.rss0KB + c.rssKB })
	tsKB := rss(ts)
	every := true
	for _, r := range ts {
		every = every && r.tot.rows == int64(r.tot.streams)*r.expectedRows && r.tot.gaps == 0 && r.tot.dups == 0 && r.tot.errors == 0
	}

	b.row(sc, "plugin CPU (baseline | Tickstream)", "cores", num(baseCores), num(tsCores))
	b.row(sc, "plugin CPU (echo plugin paced | Tickstream)", "cores", num(echoCores), num(tsCores))
	b.row(sc, "plugin CPU per message (echo plugin paced | Tickstream)", "µs",
		num(median(echo, func(r *streamRun) float64 { return usPer(r.cpu.Plugin, r.tot.winMsgs) })),
		num(median(ts, func(r *streamRun) float64 { return usPer(r.cpu.Plugin, r.tot.winMsgs) })))
	b.row(sc, "plugin RSS at end (baseline | Tickstream)", "MiB", num(rss(base)/1024), num(tsKB/1024))
	b.row(sc, "plugin RSS at end (echo plugin paced | Tickstream)", "MiB", num(rss(echo)/1024), num(tsKB/1024))
	b.row(sc, "plugin RSS (echo plugin's idle streams, the floor | Tickstream)", "MiB", num(floorKB/1024), num(tsKB/1024))
	stackKB := func(runs []*streamRun) val {
		return num(median(runs, func(r *streamRun) float64 { return r.mem["go_memstats_stack_inuse_bytes"] / 1024 / float64(n) }))
	}
	gcs := func(runs []*streamRun) val {
		return num(median(runs, func(r *streamRun) float64 { return r.windowGCs }))
	}
	b.row(sc, "  Go stacks in use a stream (echo paced | Tickstream)", "KiB", stackKB(echo), stackKB(ts))
	b.row(sc, "  GC cycles in the window (echo paced | Tickstream)", "", gcs(echo), gcs(ts))
	limCores, limAboveKB := cores(echoLimited), (rss(echoLimited)-floorKB)/float64(n)
	b.cpuFloorH = &cpuFloor{echo: echoCores, echoLimited: limCores, baseline: baseCores, tickstream: tsCores}
	b.row(sc, "echo plugin paced, held by Tickstream's memory limit: CPU | its ratio to the baseline's", "cores",
		num(limCores), txt(fmt.Sprintf("%.3f×", limCores/baseCores)))
	b.row(sc, "echo plugin paced, held by Tickstream's memory limit: RSS | above the floor", "MiB",
		num(rss(echoLimited)/1024), txt(fmt.Sprintf("%+.1f KiB a stream", limAboveKB)))
	b.row(sc, "  GC cycles in the window (echo held by the limit | Tickstream)", "", gcs(echoLimited), gcs(ts))
	for i := range ts {
		b.row(sc, fmt.Sprintf("  round %d: plugin CPU (echo paced | Tickstream), baseline's", i+1), "cores",
			num(echo[i].cpu.PluginCores()), txt(fmt.Sprintf("%.4f, baseline %.4f", ts[i].cpu.PluginCores(), base[i].cpu.PluginCores())))
	}
	b.row(sc, "ticks delivered / expected, every round", "%", txt("—"), num(100*medianDelivered(ts)))
	all := map[string]*streamRun{"baseline": base[len(base)-1], "tickstream": ts[len(ts)-1]}
	b.noteStarved(sc, all)
	b.noteErrors(sc, all)

	echoR, baseR := tsCores/echoCores, tsCores/baseCores
	aboveKB := (tsKB - floorKB) / float64(n)
	b.target("8", cpuGoal, echoR <= 1.5 && baseR <= 0.15 && aboveKB <= memoryBudgetKB && every,
		fmt.Sprintf("CPU %.4f cores: %.2f× the echo plugin's %.4f (%s), %.3f× the baseline's %.4f (%s); RSS %.1f MiB, %.1f KiB a stream above the echo floor of %.1f MiB (%s); ticks %s; the echo plugin held by the same memory limit: %.3f× the baseline's CPU, %.1f KiB a stream above its floor",
			tsCores, echoR, echoCores, by(echoR, 1.5), baseR, baseCores, by(baseR, 0.15),
			tsKB/1024, aboveKB, floorKB/1024, byBudget(aboveKB, memoryBudgetKB), everyText(every),
			limCores/baseCores, limAboveKB))
	return nil
}

// cpuFloor is scenario h's plugin CPU medians, in cores.
type cpuFloor struct {
	echo, echoLimited, baseline, tickstream float64
}

// median of f over runs (the lower middle one for an even count).
func median(runs []*streamRun, f func(*streamRun) float64) float64 {
	return medianOf(runs, f)
}

func medianOf[T any](items []T, f func(T) float64) float64 {
	if len(items) == 0 {
		return 0
	}
	v := make([]float64, len(items))
	for i, it := range items {
		v[i] = f(it)
	}
	sort.Float64s(v)
	return v[(len(v)-1)/2]
}

// medianDelivered is the median share of the expected ticks delivered.
func medianDelivered(runs []*streamRun) float64 {
	return median(runs, func(r *streamRun) float64 {
		return float64(r.tot.rows) / float64(max(int64(r.tot.streams)*r.expectedRows, 1))
	})
}

func everyText(every bool) string {
	if every {
		return "every one delivered in every round"
	}
	return "NOT all delivered (see the rows)"
}
