package tickwatch

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tickstream/streaming/internal/tickwatch/check"
)

// Latency is the latency from a tick's time to its arrival at the viewer,
// in ms, over every live tick received.
type Latency struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// Counts are the counts of one kind of channel, the streams' or the
// exemplar channels', of one instance or of all. The exemplar channels
// count exemplar ticks (a tick's exemplars of every series, which arrive
// together in one message) as the streams count ticks: an exemplar tick is
// expected where the rule places exemplars (a multiple of the channel's
// period with a point of some series), and a tick's exemplars are wrong
// when any differs from its point (time, value), its trace ID or its
// labels, or one is missing or extra.
type Counts struct {
	// TicksExpected counts every row each viewer must receive for each
	// stream: its history's and its live ones up to the end of the window.
	TicksExpected int64 `json:"ticksExpected"`
	// TicksDelivered counts the expected rows that arrived (once), exact
	// or not; Missing the others.
	TicksDelivered int64 `json:"ticksDelivered"`
	Missing        int64 `json:"missing"`
	// Duplicated counts rows received again, Wrong rows with a wrong value
	// or at a time where there must be none, OutOfOrder rows that arrived
	// after a later one.
	Duplicated int64   `json:"duplicated"`
	Wrong      int64   `json:"wrong"`
	OutOfOrder int64   `json:"outOfOrder"`
	LatencyMs  Latency `json:"latencyMs"`
	// LostToReconnects counts the missing rows that fell while a viewer
	// reconnected.
	LostToReconnects int64 `json:"lostToReconnects"`
	// LostAtHandover counts the ticks that went out between a viewer's
	// history query and its subscription (docs/history-and-live.md): not
	// in TicksExpected, nor Missing.
	LostAtHandover int64 `json:"lostAtHandover"`
	// FirstProblem is the earliest problem by tick time.
	FirstProblem *check.Problem `json:"firstProblem,omitempty"`
}

// problems names the problems counted, for the verdict: none when all
// are 0.
func (c *Counts) problems() []string {
	var what []string
	for _, n := range []struct {
		n    int64
		name string
	}{{c.Missing, "missing"}, {c.Duplicated, "duplicated"}, {c.Wrong, "wrong"}, {c.OutOfOrder, "out of order"}} {
		if n.n > 0 {
			what = append(what, fmt.Sprintf("%d %s", n.n, n.name))
		}
	}
	return what
}

// Figures are the streams' counts of one instance or of all, with the
// viewers' reconnections, which the exemplar channels share.
type Figures struct {
	Counts
	Reconnects int64 `json:"reconnects"`
}

// InstanceReport is one -url's figures.
type InstanceReport struct {
	URL     string `json:"url"`
	Viewers int    `json:"viewers"`
	Figures
	// Exemplars are the exemplar channels' figures, when the queries have
	// exemplars.
	Exemplars *Counts `json:"exemplars,omitempty"`
}

// Report is what a run found: the totals and each instance's figures.
type Report struct {
	Figures
	// Exemplars are the exemplar channels' figures, when the queries have
	// exemplars; nil otherwise.
	Exemplars *Counts          `json:"exemplars,omitempty"`
	Instances []InstanceReport `json:"instances"`
	Streams   int              `json:"streams"`
	Viewers   int              `json:"viewers"`
	Seconds   float64          `json:"seconds"`
	// CPUSeconds is tickwatch's own CPU time over the run, and
	// CPUPerTickUs the same per delivered tick, in µs: what sizing the
	// load machine needs.
	CPUSeconds   float64 `json:"cpuSeconds"`
	CPUPerTickUs float64 `json:"cpuPerTickUs"`
}

// OK reports whether every tick, and every exemplar tick, was delivered
// once, in order and exact.
func (r *Report) OK() bool {
	return len(r.problems()) == 0 && (r.Exemplars == nil || len(r.Exemplars.problems()) == 0)
}

// newReport makes the report of the instances' totals; exemplars says
// whether the queries have exemplars, so that a run without them reports
// as it did before they existed.
func newReport(cfg Config, insts []*instance, exemplars bool, elapsed, cpu time.Duration) *Report {
	r := &Report{Streams: cfg.Streams, Viewers: cfg.Viewers, Seconds: elapsed.Seconds(), CPUSeconds: cpu.Seconds()}
	var total, totalExemplars check.Stats
	for _, in := range insts {
		ir := InstanceReport{URL: in.grafana.base.String(), Viewers: len(in.viewers), Figures: figures(&in.stats)}
		if exemplars {
			ir.Exemplars = counts(&in.exemplars)
		}
		r.Instances = append(r.Instances, ir)
		total.Add(&in.stats)
		totalExemplars.Add(&in.exemplars)
	}
	r.Figures = figures(&total)
	if exemplars {
		r.Exemplars = counts(&totalExemplars)
	}
	if r.TicksDelivered > 0 {
		r.CPUPerTickUs = math.Round(cpu.Seconds()/float64(r.TicksDelivered)*1e7) / 10
	}
	return r
}

func figures(s *check.Stats) Figures {
	return Figures{Counts: *counts(s), Reconnects: s.Reconnects.Load()}
}

func counts(s *check.Stats) *Counts {
	ms := func(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }
	return &Counts{
		TicksExpected: s.Expected.Load(), TicksDelivered: s.Delivered.Load(), Missing: s.Missing.Load(),
		Duplicated: s.Duplicated.Load(), Wrong: s.Wrong.Load(), OutOfOrder: s.OutOfOrder.Load(),
		LatencyMs: Latency{
			P50: ms(s.Latency.Quantile(0.5)), P95: ms(s.Latency.Quantile(0.95)),
			P99: ms(s.Latency.Quantile(0.99)), Max: ms(s.Latency.Max()),
		},
		LostToReconnects: s.LostToReconnects.Load(), LostAtHandover: s.LostAtHandover.Load(),
		FirstProblem: s.First(),
	}
}

// WriteText writes the report as the command prints it: a table with a
// row per instance and the total, the same for the exemplar ticks when
// the queries have exemplars, then the verdict.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "instance\tviewers\texpected\tdelivered\tmissing\tduplicated\twrong\tout of order\tp50 ms\tp95 ms\tp99 ms\tmax ms\treconnects\tlost to reconnects\tlost at handover\t")
	row := func(name string, viewers int, f Figures) {
		f.writeRow(tw, name, viewers, fmt.Sprintf("%d\t", f.Reconnects))
	}
	for _, in := range r.Instances {
		row(in.URL, in.Viewers, in.Figures)
	}
	if len(r.Instances) > 1 {
		row("total", r.Viewers, r.Figures)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Exemplars != nil {
		if err := r.writeExemplarTable(w); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "%d streams, %d viewers, %.1f s; tickwatch used %.2f s of CPU (%.1f µs per delivered tick)\n",
		r.Streams, r.Viewers, r.Seconds, r.CPUSeconds, r.CPUPerTickUs)
	if r.OK() {
		exemplars := ""
		if r.Exemplars != nil {
			exemplars = fmt.Sprintf(" and %d exemplar ticks", r.Exemplars.TicksExpected)
		}
		_, err := fmt.Fprintf(w, "OK: every one of %d ticks%s was delivered once, in order and exact\n", r.TicksExpected, exemplars)
		return err
	}
	what := strings.Join(r.problems(), ", ")
	var exemplarFirst *check.Problem
	if x := r.Exemplars; x != nil {
		if xs := x.problems(); len(xs) > 0 {
			what = strings.TrimPrefix(what+"; exemplar ticks: "+strings.Join(xs, ", "), "; ")
		}
		exemplarFirst = x.FirstProblem
	}
	fmt.Fprintf(w, "FAIL: %s\n", what)
	for _, first := range []struct {
		label string
		p     *check.Problem
	}{{"first", r.FirstProblem}, {"first exemplar problem", exemplarFirst}} {
		if p := first.p; p != nil {
			url := ""
			if p.Instance < len(r.Instances) {
				url = " on " + r.Instances[p.Instance].URL
			}
			if _, err := fmt.Fprintf(w, "%s: %s%s\n", first.label, p, url); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeExemplarTable writes the exemplar channels' figures: a row per
// instance and the total.
func (r *Report) writeExemplarTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "exemplar ticks\tviewers\texpected\tdelivered\tmissing\tduplicated\twrong\tout of order\tp50 ms\tp95 ms\tp99 ms\tmax ms\tlost to reconnects\tlost at handover\t")
	row := func(name string, viewers int, c *Counts) { c.writeRow(tw, name, viewers, "") }
	for _, in := range r.Instances {
		row(in.URL, in.Viewers, in.Exemplars)
	}
	if len(r.Instances) > 1 {
		row("total", r.Viewers, r.Exemplars)
	}
	return tw.Flush()
}

// writeRow writes a table row of c for the instance name, with extra (a
// column of the streams' table only) before the two lost columns.
func (c *Counts) writeRow(w io.Writer, name string, viewers int, extra string) {
	fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%s%d\t%d\t\n", name, viewers,
		c.TicksExpected, c.TicksDelivered, c.Missing, c.Duplicated, c.Wrong, c.OutOfOrder,
		c.LatencyMs.P50, c.LatencyMs.P95, c.LatencyMs.P99, c.LatencyMs.Max, extra, c.LostToReconnects, c.LostAtHandover)
}

// WriteJSON writes the report to the file path.
func (r *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// progress prints a line per instance now and then while a run goes on.
type progress struct {
	out       io.Writer
	insts     []*instance
	last      time.Time
	delivered []int64
}

func newProgress(out io.Writer, insts []*instance, start time.Time) *progress {
	return &progress{out: out, insts: insts, last: start, delivered: make([]int64, len(insts))}
}

// maybePrint prints the lines when every has passed since the last ones:
// viewers connected, ticks per second since then, missing so far, and the
// latency p99 so far.
func (p *progress) maybePrint(now time.Time, every time.Duration) {
	elapsed := now.Sub(p.last)
	if elapsed < every {
		return
	}
	p.last = now
	for i, in := range p.insts {
		d := in.stats.Delivered.Load()
		rate := float64(d-p.delivered[i]) / elapsed.Seconds()
		p.delivered[i] = d
		up := 0
		for _, v := range in.viewers {
			if v.isConnected() {
				up++
			}
		}
		fmt.Fprintf(p.out, "%s  viewers %d/%d  %.0f ticks/s  missing %d  late p99 %.1f ms\n", in.grafana.base, up,
			len(in.viewers), rate, in.stats.Missing.Load(), float64(in.stats.Latency.Quantile(0.99))/1e6)
	}
}
