// Command tickbench is Tickstream's performance bench (issue 4). It builds
// Tickstream, the tutorial-style baseline plugin and the echo plugin,
// starts each as its own process through the plugin protocol (this program
// is the host, as Grafana would be), reads the plugin's CPU and memory from
// /proc, and runs the scenarios of the issue on both plugins in the same
// run. It prints a table and writes developers/benchmarks.md.
//
// Run it with scripts/bench.sh (flags pass through); -h lists the flags.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// bench holds the flags, the binaries and what the scenarios found.
type bench struct {
	root, tmp string
	bins      map[string]string
	tsSource  string // how the Tickstream binary was obtained
	commit    string
	machine   machine
	started   time.Time

	scenarios                    string
	head                         bool
	srcDir                       string // the tree Tickstream and the Go benchmarks come from
	loadEnd                      string
	long, goBench                bool
	streamsA, streamsB, streamsG int
	durA, durB, durC, durE, durF time.Duration
	durH                         time.Duration
	runsH                        int
	warmup                       time.Duration
	repsD                        int
	out, pprofDir                string

	rows       []row
	targets    []target
	notes      []string
	profiles   []profile
	goBenchOut string

	// Figures one scenario passes to another or to the targets.
	streamA       map[string]*streamRun
	streamB       map[string]*streamRun
	pacedFloorUs  float64 // echo plugin's CPU per message in scenario b's pattern
	floorUs       float64
	floorStreamKB float64
	floorBaseKB   float64 // the echo plugin's RSS before its idle streams
	floorStackKB  float64
	// cpuFloorH is scenario h's CPU medians, for the shortfall of target
	// 8; nil when h did not run.
	cpuFloorH     *cpuFloor
	idleStreamKB  map[string]float64
	historyMs     float64
	historyPoints int64
}

func main() {
	b := &bench{bins: map[string]string{}, started: time.Now()}
	spinFlag := flag.Bool("spin", false, "internal: burn one core until killed (the loaded timing run)")
	flag.StringVar(&b.scenarios, "scenarios", "a,b,c,d,e,f,g", "scenarios to run, comma-separated (a b c d e f g h; h is issue 22's acceptance run, long: -accept)")
	accept := flag.Bool("accept", false, "issue 22's acceptance run: scenarios a,b,c,d,f,g,h with -long, -dur-h 60s and -runs-h 3 unless given")
	flag.DurationVar(&b.durH, "dur-h", 60*time.Second, "measured window of each run of scenario h")
	flag.IntVar(&b.runsH, "runs-h", 3, "rounds of scenario h (echo paced, echo held by the memory limit, baseline, Tickstream each) to take the medians of")
	flag.BoolVar(&b.long, "long", false, "run scenario c for 60 s, as target 3 asks (default 10 s)")
	flag.BoolVar(&b.goBench, "gobench", true, "also run go test -bench over ./pkg/... and report it")
	flag.IntVar(&b.streamsA, "streams-a", 10_000, "streams in scenario a")
	flag.IntVar(&b.streamsB, "streams-b", 1_000, "streams in scenario b")
	flag.IntVar(&b.streamsG, "streams-g", 10_000, "idle streams in scenario g")
	flag.DurationVar(&b.durA, "dur-a", 20*time.Second, "measured window of scenario a")
	flag.DurationVar(&b.durB, "dur-b", 10*time.Second, "measured window of scenario b")
	flag.DurationVar(&b.durC, "dur-c", 10*time.Second, "measured window of scenario c (-long makes it 60 s)")
	flag.DurationVar(&b.durE, "dur-e", 8*time.Second, "measured window of each timing run (idle, loaded)")
	flag.DurationVar(&b.durF, "dur-f", 5*time.Second, "measured window of each ceiling run")
	flag.DurationVar(&b.warmup, "warmup", 5*time.Second, "warm-up before a window in scenarios a and b")
	flag.IntVar(&b.repsD, "reps-d", 15, "QueryData calls to take the median of")
	flag.StringVar(&b.out, "out", "developers/benchmarks.md", "report file, relative to the module root (empty: none)")
	flag.StringVar(&b.pprofDir, "pprof", "", "profile the plugins (SDK pprof server) in scenarios a, b, c and keep the profiles in this directory; adds profiling overhead to the figures")
	tsBin := flag.String("tickstream", "", "Tickstream plugin executable to use instead of building ./pkg")
	flag.BoolVar(&b.head, "head", false, "build Tickstream from the last commit (git archive HEAD), not the working tree")
	flag.Parse()
	if *spinFlag {
		spin()
	}
	if *accept {
		b.scenarios, b.long = "a,b,c,d,f,g,h", true
	}
	if b.long {
		b.durC = time.Minute
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := b.run(ctx, *tsBin); err != nil {
		fmt.Fprintln(os.Stderr, "tickbench:", err)
		os.Exit(1)
	}
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%6.1fs] %s\n", time.Since(b.started).Seconds(), fmt.Sprintf(format, args...))
}

func (b *bench) run(ctx context.Context, tsBin string) error {
	var err error
	if b.root, err = moduleRoot(); err != nil {
		return err
	}
	if b.pprofDir != "" {
		if b.pprofDir, err = filepath.Abs(b.pprofDir); err != nil {
			return err
		}
		if err := os.MkdirAll(b.pprofDir, 0o755); err != nil {
			return err
		}
	}
	b.machine = describeMachine()
	b.commit = b.gitDescribe()
	if b.tmp, err = os.MkdirTemp("", "tickbench-"); err != nil {
		return err
	}
	defer os.RemoveAll(b.tmp)
	if err := b.build(tsBin); err != nil {
		return err
	}
	b.logf("machine: %s, %d cores, %.1f GiB, %s, %s; load average %s", b.machine.CPU, b.machine.Cores, b.machine.MemGiB, b.machine.Kernel, b.machine.Go, b.machine.LoadAvg)
	steps := []struct {
		key string
		fn  func(context.Context) error
	}{
		{"a", b.scenarioA}, {"b", b.scenarioB}, {"c", b.scenarioC}, {"d", b.scenarioD},
		{"e", b.scenarioE}, {"f", b.scenarioF}, {"g", b.scenarioG}, {"h", b.scenarioH},
	}
	want := map[string]bool{}
	for _, s := range strings.Split(b.scenarios, ",") {
		want[strings.TrimSpace(s)] = true
	}
	for _, s := range steps {
		if !want[s.key] {
			continue
		}
		if err := s.fn(ctx); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			b.logf("scenario %s failed: %v", s.key, err)
			b.notes = append(b.notes, fmt.Sprintf("Scenario %s failed: %v", s.key, err))
		}
	}
	if want["a"] && want["g"] {
		b.memoryTarget()
	} else if want["a"] {
		b.targetNA("7", memoryGoal, "needs scenarios a and g")
	}
	if want["b"] && want["f"] {
		b.protocolTarget()
	} else if want["b"] {
		b.targetNA("2", "1k streams at 100 ms: CPU/point ≤ 1/5 of baseline and within 2× of the protocol floor", "needs scenarios b and f")
	}
	if !want["h"] {
		b.targetNA("8", cpuGoal, "needs scenario h (scripts/bench.sh -accept)")
	}
	if b.goBench {
		b.runGoBench(ctx)
		b.sleepRows()
	}
	if want["d"] {
		b.historyTarget()
	}
	b.targetNA("6", "ceiling comparison (report only)", b.ceilingText())
	b.loadEnd = loadAvg()
	b.printTable()
	if b.out != "" {
		path := filepath.Join(b.root, b.out)
		if err := os.WriteFile(path, []byte(b.markdown()), 0o644); err != nil {
			return err
		}
		b.logf("wrote %s", path)
	}
	return nil
}

// build builds the three plugins into the temp dir. Tickstream comes from
// the working tree (./pkg); if that does not build (another change in
// progress), from HEAD via git archive, and failing that from dist/.
func (b *bench) build(tsBin string) error {
	for _, p := range []struct{ name, pkg string }{{"baseline", "./internal/bench/baseline"}, {"echo", "./internal/bench/echo"}} {
		out := filepath.Join(b.tmp, p.name)
		if err := b.goBuild(b.root, out, p.pkg); err != nil {
			return fmt.Errorf("build %s: %w", p.name, err)
		}
		b.bins[p.name] = out
	}
	if tsBin != "" {
		abs, err := filepath.Abs(tsBin)
		if err != nil {
			return err
		}
		b.bins["tickstream"], b.tsSource = abs, "given with -tickstream: "+tsBin
		return nil
	}
	out := filepath.Join(b.tmp, "tickstream")
	if !b.head {
		b.logf("building Tickstream (go build ./pkg) and the bench plugins")
		err := b.goBuild(b.root, out, "./pkg")
		if err == nil {
			b.bins["tickstream"], b.tsSource, b.srcDir = out, "go build ./pkg from the working tree at "+b.commit, b.root
			return nil
		}
		b.logf("the working tree does not build (%v); trying HEAD", err)
	}
	src := filepath.Join(b.tmp, "head")
	if err := os.MkdirAll(src, 0o755); err == nil {
		cmd := exec.Command("sh", "-c", "git archive HEAD | tar -x -C "+src)
		cmd.Dir = b.root
		if cmd.Run() == nil && b.goBuild(src, out, "./pkg") == nil {
			b.bins["tickstream"], b.tsSource, b.srcDir = out, "go build ./pkg from HEAD "+b.headCommit()+" (git archive)", src
			if !b.head {
				b.tsSource += "; the working tree did not build"
			}
			return nil
		}
	}
	dist := filepath.Join(b.root, "dist", "gpx_streaming_linux_amd64")
	if _, err := os.Stat(dist); err != nil {
		return fmt.Errorf("no Tickstream binary: ./pkg does not build and %s is missing", dist)
	}
	b.bins["tickstream"], b.tsSource = dist, "dist/gpx_streaming_linux_amd64 (./pkg did not build)"
	return nil
}

func (b *bench) goBuild(dir, out, pkg string) error {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = dir
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%w: %s", err, strings.TrimSpace(string(msg)))
	}
	return nil
}

func (b *bench) headCommit() string {
	out, err := exec.Command("git", "-C", b.root, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}

func (b *bench) gitDescribe() string {
	out, err := exec.Command("git", "-C", b.root, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown commit"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "-C", b.root, "status", "--porcelain", "--", "pkg").Output(); err == nil && len(st) > 0 {
		c += " with uncommitted changes in pkg/"
	}
	return c
}

// runGoBench runs the Go benchmarks of ./pkg/... and keeps their output.
func (b *bench) runGoBench(ctx context.Context) {
	b.logf("go test -run '^$' -bench . -benchmem ./pkg/...")
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", ".", "-benchmem", "./pkg/...")
	cmd.Dir = b.srcDir
	if cmd.Dir == "" {
		cmd.Dir = b.root // Tickstream given with -tickstream or from dist/
	}
	// internal/host's TestMain builds the plugin unless given one.
	cmd.Env = append(os.Environ(), "TICKSTREAM_PLUGIN_BINARY="+b.bins["tickstream"])
	out, err := cmd.CombinedOutput()
	var keep []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "Benchmark") || strings.HasPrefix(line, "pkg:") || strings.HasPrefix(line, "FAIL") || strings.HasPrefix(line, "---") || strings.Contains(line, "cannot") {
			keep = append(keep, line)
		}
	}
	b.goBenchOut = strings.Join(keep, "\n")
	if err != nil {
		b.notes = append(b.notes, fmt.Sprintf("go test -bench failed (%v); its output is below as far as it got.", err))
		b.goBenchOut += "\n" + tail(string(out), 3000)
	}
}

// moduleRoot is the directory holding go.mod, upwards from the working
// directory.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("run tickbench inside the Tickstream module")
	}
	return filepath.Dir(mod), nil
}
