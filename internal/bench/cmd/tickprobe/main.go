// Command tickprobe runs one plugin executable (Tickstream or the echo
// plugin) with many streams at one tick and prints its CPU per message,
// read from /proc, and its RSS: the quick comparison issue 22 needed on a
// machine too busy for the bench's wall-clock ratios. With -perf it runs
// `perf stat -e <events>` on the plugin during the window, or with -perf
// record `perf record -g`, whose report shows where the plugin's CPU goes
// (kernel included, which Go's own profiler misattributes). It counts the
// plugin's collections in the window from the plugin's own metrics; for
// their detail, run it with GODEBUG=gctrace=1 and -log: the plugin's
// gctrace lines are in its log, while those on tickprobe's stderr are
// tickprobe's own (its receivers park 10,000 goroutines too, so they look
// alike: the previous record of the plugin's cadence read those).
//
//	go build -o /tmp/tickprobe ./internal/bench/cmd/tickprobe
//	go build -o /tmp/ts ./pkg && go build -o /tmp/echo ./internal/bench/echo
//	/tmp/tickprobe -bin /tmp/ts -n 10000 -perf record -perf-out /tmp/ts.perf
//	/tmp/tickprobe -bin /tmp/echo -echo -n 10000
//	perf report -i /tmp/ts.perf --children --sort sym --stdio -g none
//	GODEBUG=gctrace=1 /tmp/tickprobe -bin /tmp/ts -n 10000 -log /tmp/ts.log
//	/tmp/tickprobe -bin /tmp/echo -echo -limited -n 10000 -memory
package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/tickstream/streaming/internal/bench/procstat"
	"github.com/tickstream/streaming/internal/host"
)

func main() {
	bin := flag.String("bin", "", "the plugin executable")
	n := flag.Int("n", 10_000, "streams")
	tick := flag.Int("tick", 1000, "tick of every stream, ms")
	dur := flag.Duration("dur", 30*time.Second, "measured window")
	warm := flag.Duration("warm", 5*time.Second, "wait after the streams opened, before the window")
	echo := flag.Bool("echo", false, "open the echo plugin's paced/<tick>/<i> paths instead of Tickstream's")
	limited := flag.Bool("limited", false, "with -echo: hold the echo plugin's streams by Tickstream's memory limit (limited/paced/… paths)")
	memory := flag.Bool("memory", false, "print the plugin's memory as its Go runtime reports it (go_memstats_*) after the window")
	perf := flag.String("perf", "", "perf stat events to count in the window, or \"record\" for perf record -g")
	perfOut := flag.String("perf-out", "perf.data", "perf record's output file")
	jsonData := flag.String("json", "{}", "the data source's jsonData")
	logOut := flag.String("log", "", "write the plugin's log (its stderr, so GODEBUG=gctrace=1's lines too) to this file")
	flag.Parse()
	if err := run(*bin, *n, *tick, *dur, *warm, *echo, *limited, *memory, *perf, *perfOut, *jsonData, *logOut); err != nil {
		fmt.Fprintln(os.Stderr, "tickprobe:", err)
		os.Exit(1)
	}
}

func run(bin string, n, tick int, dur, warm time.Duration, echo, limited, memory bool, perf, perfOut, jsonData, logOut string) error {
	p, err := host.Start(bin)
	if err != nil {
		return err
	}
	defer p.Stop()
	if logOut != "" {
		defer func() { _ = os.WriteFile(logOut, []byte(p.Log()), 0o644) }()
	}
	ds := host.DataSource{ID: 1, UID: "probe", Name: "probe", JSONData: []byte(jsonData), Updated: time.Unix(1, 0)}
	pc := ds.PluginContext()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// Streams are opened with the raw client and drained as they come:
	// host.Stream buffers thousands of packets per stream, gigabytes at
	// this count.
	var msgs atomic.Int64
	var next atomic.Int64
	var open sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		open.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				path := fmt.Sprintf("v1/t=%d/lo=0/hi=100/seed=%d", tick, i)
				if echo {
					path = fmt.Sprintf("paced/%d/%d", tick, i)
					if limited {
						path = "limited/" + path
					}
				}
				r, err := p.Stream.SubscribeStream(ctx, &pluginv2.SubscribeStreamRequest{PluginContext: pc, Path: path})
				if err == nil && r.Status != pluginv2.SubscribeStreamResponse_OK {
					err = fmt.Errorf("refused: %v", r.Status)
				}
				if err != nil {
					errs <- fmt.Errorf("subscribe %s: %w", path, err)
					return
				}
				rs, err := p.Stream.RunStream(ctx, &pluginv2.RunStreamRequest{PluginContext: pc, Path: path})
				if err != nil {
					errs <- fmt.Errorf("run %s: %w", path, err)
					return
				}
				go func() {
					for {
						if _, err := rs.Recv(); err != nil {
							return
						}
						msgs.Add(1)
					}
				}()
			}
		})
	}
	open.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	time.Sleep(warm)

	var pc2 *exec.Cmd
	if perf != "" {
		args := []string{"stat", "-e", perf, "-p", strconv.Itoa(p.Pid())}
		if perf == "record" {
			args = []string{"record", "-F", "1999", "-g", "-o", perfOut, "-p", strconv.Itoa(p.Pid())}
		}
		pc2 = exec.Command("perf", args...)
		pc2.Stdout, pc2.Stderr = os.Stderr, os.Stderr
		if err := pc2.Start(); err != nil {
			return fmt.Errorf("perf: %w", err)
		}
	}
	gcs0, err := p.GCCycles(ctx)
	if err != nil {
		return err
	}
	cpu0, err := procstat.CPU(p.Pid())
	if err != nil {
		return err
	}
	m0, t0 := msgs.Load(), time.Now()
	time.Sleep(dur)
	cpu1, err := procstat.CPU(p.Pid())
	if err != nil {
		return err
	}
	m1, elapsed := msgs.Load(), time.Since(t0)
	if pc2 != nil {
		_ = pc2.Process.Signal(os.Interrupt)
		_ = pc2.Wait()
	}
	gcs1, err := p.GCCycles(ctx)
	if err != nil {
		return err
	}
	rss, err := p.RSS()
	if err != nil {
		return err
	}
	used := cpu1 - cpu0
	fmt.Printf("plugin %.4f cores, %.0f messages/s, %.2f µs a message, RSS %.1f MiB, %d GC cycles\n",
		used.Seconds()/elapsed.Seconds(), float64(m1-m0)/elapsed.Seconds(),
		float64(used.Nanoseconds())/1000/float64(max(m1-m0, 1)), float64(rss)/(1<<20), gcs1-gcs0)
	if memory {
		return printMemory(ctx, p, n)
	}
	return nil
}

// printMemory prints the Go collector's memory figures of the plugin, in
// all and per stream: where its RSS goes (stacks, live heap, garbage not
// yet collected, pages not yet returned).
func printMemory(ctx context.Context, p *host.Plugin, n int) error {
	gauges, err := p.GoMetrics(ctx)
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(gauges)) {
		if strings.HasPrefix(name, "go_memstats_") && strings.HasSuffix(name, "_bytes") {
			v := gauges[name]
			fmt.Printf("  %-40s %9.1f MiB %8.2f KiB a stream\n", name, v/(1<<20), v/1024/float64(n))
		}
	}
	return nil
}
