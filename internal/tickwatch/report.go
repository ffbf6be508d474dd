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

// Figures are the counts of one instance or of all.
type Figures struct {
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
	// Reconnects counts the viewers' reconnections, and LostToReconnects
	// the missing rows that fell while a viewer reconnected.
	Reconnects       int64 `json:"reconnects"`
	LostToReconnects int64 `json:"lostToReconnects"`
	// LostAtHandover counts the ticks that went out between a viewer's
	// history query and its subscription (docs/history-and-live.md): not
	// in TicksExpected, nor Missing.
	LostAtHandover int64 `json:"lostAtHandover"`
	// FirstProblem is the earliest problem by tick time.
	FirstProblem *check.Problem `json:"firstProblem,omitempty"`
}

// InstanceReport is one -url's figures.
type InstanceReport struct {
	URL     string `json:"url"`
	Viewers int    `json:"viewers"`
	Figures
}

// Report is what a run found: the totals and each instance's figures.
type Report struct {
	Figures
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

// OK reports whether every tick was delivered once, in order and exact.
func (r *Report) OK() bool {
	return r.Missing == 0 && r.Duplicated == 0 && r.Wrong == 0 && r.OutOfOrder == 0
}

func newReport(cfg Config, insts []*instance, elapsed, cpu time.Duration) *Report {
	r := &Report{Streams: cfg.Streams, Viewers: cfg.Viewers, Seconds: elapsed.Seconds(), CPUSeconds: cpu.Seconds()}
	var total check.Stats
	for _, in := range insts {
		s := &in.stats
		r.Instances = append(r.Instances, InstanceReport{URL: in.grafana.base.String(), Viewers: len(in.viewers), Figures: figures(s)})
		total.Expected.Add(s.Expected.Load())
		total.Delivered.Add(s.Delivered.Load())
		total.Missing.Add(s.Missing.Load())
		total.Duplicated.Add(s.Duplicated.Load())
		total.Wrong.Add(s.Wrong.Load())
		total.OutOfOrder.Add(s.OutOfOrder.Load())
		total.Reconnects.Add(s.Reconnects.Load())
		total.LostToReconnects.Add(s.LostToReconnects.Load())
		total.LostAtHandover.Add(s.LostAtHandover.Load())
		total.Latency.Add(&s.Latency)
	}
	r.Figures = figures(&total)
	for _, in := range r.Instances {
		if p := in.FirstProblem; p != nil && (r.FirstProblem == nil || p.TickMs < r.FirstProblem.TickMs) {
			r.FirstProblem = p
		}
	}
	if r.TicksDelivered > 0 {
		r.CPUPerTickUs = math.Round(cpu.Seconds()/float64(r.TicksDelivered)*1e7) / 10
	}
	return r
}

func figures(s *check.Stats) Figures {
	ms := func(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }
	return Figures{
		TicksExpected: s.Expected.Load(), TicksDelivered: s.Delivered.Load(), Missing: s.Missing.Load(),
		Duplicated: s.Duplicated.Load(), Wrong: s.Wrong.Load(), OutOfOrder: s.OutOfOrder.Load(),
		LatencyMs: Latency{
			P50: ms(s.Latency.Quantile(0.5)), P95: ms(s.Latency.Quantile(0.95)),
			P99: ms(s.Latency.Quantile(0.99)), Max: ms(s.Latency.Max()),
		},
		Reconnects: s.Reconnects.Load(), LostToReconnects: s.LostToReconnects.Load(), LostAtHandover: s.LostAtHandover.Load(),
		FirstProblem: s.First(),
	}
}

// WriteText writes the report as the command prints it: a table with a
// row per instance and the total, then the verdict.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "instance\tviewers\texpected\tdelivered\tmissing\tduplicated\twrong\tout of order\tp50 ms\tp95 ms\tp99 ms\tmax ms\treconnects\tlost to reconnects\tlost at handover\t")
	row := func(name string, viewers int, f Figures) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%d\t%d\t%d\t\n", name, viewers,
			f.TicksExpected, f.TicksDelivered, f.Missing, f.Duplicated, f.Wrong, f.OutOfOrder,
			f.LatencyMs.P50, f.LatencyMs.P95, f.LatencyMs.P99, f.LatencyMs.Max, f.Reconnects, f.LostToReconnects, f.LostAtHandover)
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
	fmt.Fprintf(w, "%d streams, %d viewers, %.1f s; tickwatch used %.2f s of CPU (%.1f µs per delivered tick)\n",
		r.Streams, r.Viewers, r.Seconds, r.CPUSeconds, r.CPUPerTickUs)
	if r.OK() {
		_, err := fmt.Fprintf(w, "OK: every one of %d ticks was delivered once, in order and exact\n", r.TicksExpected)
		return err
	}
	var what []string
	for _, c := range []struct {
		n    int64
		name string
	}{{r.Missing, "missing"}, {r.Duplicated, "duplicated"}, {r.Wrong, "wrong"}, {r.OutOfOrder, "out of order"}} {
		if c.n > 0 {
			what = append(what, fmt.Sprintf("%d %s", c.n, c.name))
		}
	}
	fmt.Fprintf(w, "FAIL: %s\n", strings.Join(what, ", "))
	if p := r.FirstProblem; p != nil {
		url := ""
		if p.Instance < len(r.Instances) {
			url = " on " + r.Instances[p.Instance].URL
		}
		_, err := fmt.Fprintf(w, "first: %s%s\n", p, url)
		return err
	}
	return nil
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
