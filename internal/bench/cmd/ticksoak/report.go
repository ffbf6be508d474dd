package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/tickstream/streaming/internal/bench/procstat"
	"github.com/tickstream/streaming/internal/host"
)

// sample is one reading of the plugin process.
type sample struct {
	at                  time.Duration // since the soak started
	cpuPct, hostCPUPct  float64       // % of one core since the previous sample
	rssMiB              float64
	goroutines, fds     int
	msgsPerS, rowsPerS  float64
	totalMsgs, totalRow int64
}

const sampleHeader = "  elapsed  plugin CPU   RSS MiB  goroutines  fds    msgs/s    rows/s  host CPU"

func (s sample) line() string {
	return fmt.Sprintf("  %7s  %9.1f%%  %8.1f  %10d  %3d  %8.0f  %8.0f  %7.1f%%",
		s.at.Round(time.Second), s.cpuPct, s.rssMiB, s.goroutines, s.fds, s.msgsPerS, s.rowsPerS, s.hostCPUPct)
}

// sampler turns successive readings into rates.
type sampler struct {
	p            *host.Plugin
	wall         time.Time
	cpu, hostCPU time.Duration
	msgs, rows   int64
}

func newSampler(p *host.Plugin) *sampler {
	cpu, _ := procstat.CPU(p.Pid())
	return &sampler{p: p, wall: time.Now(), cpu: cpu, hostCPU: procstat.SelfCPU(),
		msgs: received.msgs.Load(), rows: received.rows.Load()}
}

func (sm *sampler) take(at time.Duration) sample {
	now := time.Now()
	dt := now.Sub(sm.wall).Seconds()
	cpu, _ := procstat.CPU(sm.p.Pid())
	hostCPU := procstat.SelfCPU()
	msgs, rows := received.msgs.Load(), received.rows.Load()
	rss, _ := sm.p.RSS()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	g, _ := sm.p.Goroutines(ctx)
	cancel()
	fds, _ := sm.p.OpenFDs()
	s := sample{
		at:         at,
		cpuPct:     100 * (cpu - sm.cpu).Seconds() / dt,
		hostCPUPct: 100 * (hostCPU - sm.hostCPU).Seconds() / dt,
		rssMiB:     float64(rss) / (1 << 20),
		goroutines: g, fds: fds,
		msgsPerS: float64(msgs-sm.msgs) / dt, rowsPerS: float64(rows-sm.rows) / dt,
		totalMsgs: msgs, totalRow: rows,
	}
	sm.wall, sm.cpu, sm.hostCPU, sm.msgs, sm.rows = now, cpu, hostCPU, msgs, rows
	return s
}

// result is what the soak found.
type result struct {
	started, stopped time.Time
	openedIn         time.Duration
	pid              int
	commit, machine  string
	loadStart        string // /proc/loadavg's 1-minute figure when the soak started
	loadEnd          string
	samples          []sample
	cpu              time.Duration // the plugin's CPU time at the end

	baseGoroutines, endGoroutines int
	baseRSS                       int64
	behindWarnings                int

	// Totals over the streams.
	streams, cleanStreams                 int
	msgs, rows, gridTicks                 int64
	missing, repeated, offGrid, outLimits int64
	wrongNulls, lines                     int64 // the gaps kinds: nulls not where dropPercent puts them; log lines
	badMessages, endedEarly, headLate     int64
	tailShort                             int64
	examples                              []string

	// The RSS fit after the warm-up.
	slopeMiBPerMin, projectedMiB, meanMiB, allowedMiB float64
	fitSamples                                        int
	minMiB, maxMiB                                    float64

	failures []string
}

func (r *result) passed() bool { return len(r.failures) == 0 }

func (r *result) fail(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

// evaluate totals the streams' counts and fits the RSS slope.
func (r *result) evaluate(c config, streams []*soakStream) {
	r.streams = len(streams)
	for i, s := range streams {
		v := s.verdict(r.stopped, c.startSlack, 2*time.Second)
		r.msgs += s.msgs
		r.rows += s.rows
		r.gridTicks += v.gridTicks
		r.missing += s.missing
		r.repeated += s.repeated
		r.offGrid += s.offGrid
		r.outLimits += s.outOfLimits
		r.badMessages += s.badMessages
		r.wrongNulls += s.wrongNulls
		r.lines += s.lines
		clean := s.rows > 0 && s.missing == 0 && s.repeated == 0 && s.offGrid == 0 && s.outOfLimits == 0 && s.wrongNulls == 0 &&
			s.badMessages == 0 && !s.endedEarly && !v.headLate && v.tailOK && v.gridTicks == s.rows
		if s.endedEarly {
			r.endedEarly++
		}
		if v.headLate {
			r.headLate++
		}
		if !v.tailOK {
			r.tailShort++
		}
		if clean {
			r.cleanStreams++
		} else if len(r.examples) < 5 {
			r.examples = append(r.examples, fmt.Sprintf("stream %d %s: %d rows, first %d, last %d (started %d, stopped %d), missing %d, repeated %d, off grid %d, out of limits %d, bad messages %d (%s), ended early %v (%v)",
				i, s.path, s.rows, s.first, s.last, s.started.UnixMilli(), r.stopped.UnixMilli(), s.missing, s.repeated, s.offGrid, s.outOfLimits, s.badMessages, s.firstBad, s.endedEarly, s.endErr))
		}
	}
	if r.cleanStreams != r.streams {
		r.fail("%d of %d streams lost, repeated or mangled ticks", r.streams-r.cleanStreams, r.streams)
	}
	if r.rows != r.gridTicks {
		r.fail("%d rows received for %d grid ticks", r.rows, r.gridTicks)
	}
	if r.behindWarnings > 0 {
		r.fail("the plugin logged %d \"Stream fell behind\" warnings (ticks skipped)", r.behindWarnings)
	}
	if r.endGoroutines > r.baseGoroutines+5 {
		r.fail("%d goroutines 20 s after every stream ended, %d before they started", r.endGoroutines, r.baseGoroutines)
	}

	// RSS after the warm-up: least-squares slope, projected over the window.
	var xs, ys []float64
	for _, s := range r.samples {
		if s.at >= c.warmup {
			xs = append(xs, s.at.Minutes())
			ys = append(ys, s.rssMiB)
		}
	}
	r.fitSamples = len(xs)
	if len(xs) < 3 {
		r.fail("only %d samples after the %v warm-up: run longer or sample more often", len(xs), c.warmup)
		return
	}
	var mx, my float64
	r.minMiB, r.maxMiB = math.Inf(1), math.Inf(-1)
	for i := range xs {
		mx += xs[i]
		my += ys[i]
		r.minMiB, r.maxMiB = min(r.minMiB, ys[i]), max(r.maxMiB, ys[i])
	}
	mx /= float64(len(xs))
	my /= float64(len(ys))
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	r.meanMiB = my
	r.slopeMiBPerMin = sxy / sxx
	r.projectedMiB = r.slopeMiBPerMin * (xs[len(xs)-1] - xs[0])
	r.allowedMiB = max(c.rssTolerance*my, c.rssFloorMiB)
	if r.projectedMiB > r.allowedMiB {
		r.fail("RSS grows %.2f MiB/min after the warm-up: %.1f MiB over the window, more than the %.1f MiB allowed", r.slopeMiBPerMin, r.projectedMiB, r.allowedMiB)
	}
}

// markdown is the report: the run, the checks, the samples.
func (r *result) markdown(c config) string {
	var b strings.Builder
	verdict := "passed"
	if !r.passed() {
		verdict = "FAILED: " + strings.Join(r.failures, "; ")
	}
	elapsed := r.stopped.Sub(r.started)
	fmt.Fprintf(&b, "### Soak of %s (%s)\n\n", r.started.UTC().Format("2006-01-02 15:04 MST"), verdict)
	fmt.Fprintf(&b, "- Command: `scripts/soak.sh -streams %d -duration %v -sample %v -ticks %s -series %s -settings '%s'`\n",
		c.streams, c.duration, c.sample, joinInts(c.ticks), joinInts(c.series), c.jsonData)
	fmt.Fprintf(&b, "- Machine: %s; commit %s; load average %s at the start, %s at the end\n", r.machine, r.commit, r.loadStart, r.loadEnd)
	fmt.Fprintf(&b, "- %d streams opened (SubscribeStream then RunStream each) in %v; ran %v; plugin CPU time %v in all (%.1f%% of one core)\n",
		r.streams, r.openedIn.Round(time.Millisecond), elapsed.Round(time.Second), r.cpu.Round(10*time.Millisecond), 100*r.cpu.Seconds()/elapsed.Seconds())
	fmt.Fprintf(&b, "- Ticks: %d rows in %d messages for %d grid ticks from each stream's first to last row; missing %d, repeated %d, off the grid %d, values out of limits %d, bad messages %d; streams ended early %d, started late %d, stopped short %d; \"fell behind\" warnings %d; **%d of %d streams clean**\n",
		r.rows, r.msgs, r.gridTicks, r.missing, r.repeated, r.offGrid, r.outLimits, r.badMessages, r.endedEarly, r.headLate, r.tailShort, r.behindWarnings, r.cleanStreams, r.streams)
	fmt.Fprintf(&b, "- Kinds (-kinds %s, in turn): nulls not where dropPercent puts them %d; log lines %d\n", strings.Join(c.kinds, ","), r.wrongNulls, r.lines)
	fmt.Fprintf(&b, "- RSS: %.1f MiB before the streams; after the %v warm-up (%d samples) %.1f to %.1f MiB, mean %.1f MiB; slope **%+.3f MiB/min**, %+.1f MiB over the window (allowed %.1f MiB)\n",
		float64(r.baseRSS)/(1<<20), c.warmup, r.fitSamples, r.minMiB, r.maxMiB, r.meanMiB, r.slopeMiBPerMin, r.projectedMiB, r.allowedMiB)
	fmt.Fprintf(&b, "- Goroutines: %d before the streams, %d after they ended\n", r.baseGoroutines, r.endGoroutines)
	for _, e := range r.examples {
		fmt.Fprintf(&b, "- Example: %s\n", e)
	}
	b.WriteString("\n| elapsed | plugin CPU (% of a core) | RSS MiB | goroutines | fds | messages/s | rows/s | host CPU |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.samples {
		fmt.Fprintf(&b, "| %v | %.1f | %.1f | %d | %d | %.0f | %.0f | %.1f |\n",
			s.at.Round(time.Second), s.cpuPct, s.rssMiB, s.goroutines, s.fds, s.msgsPerS, s.rowsPerS, s.hostCPUPct)
	}
	return b.String()
}

func joinInts(v []int64) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.FormatInt(n, 10)
	}
	return strings.Join(s, ",")
}

// gitCommit is the working tree's commit, with "+changes" when it differs.
func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no", "--", "pkg").Output(); err == nil && len(bytes.TrimSpace(st)) > 0 {
		c += " + uncommitted changes in pkg/"
	}
	return c
}

// loadAverage is the 1-minute load average, to tell an idle machine from a
// busy one (a busy one delays ticks).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Fields(string(b) + " ?")[0]
}

// machineLine names the CPU, the cores and the memory.
func machineLine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if f := strings.Fields(strings.SplitN(string(b), "\n", 2)[0]); len(f) >= 2 {
			if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
				mem = fmt.Sprintf(", %.0f GiB", kb/(1<<20))
			}
		}
	}
	return fmt.Sprintf("%s, %d cores%s, %s/%s, %s", model, runtime.NumCPU(), mem, runtime.GOOS, runtime.GOARCH, runtime.Version())
}
