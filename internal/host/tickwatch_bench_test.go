package host

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/tickstream/streaming/internal/tickwatch"
)

// BenchmarkTickwatchViewers measures what tickwatch itself costs with
// many viewers, each showing 5 streams: 1000 viewers at ticks of 1 s (5
// messages a second each) and 200 at 100 ms (50 each). The built
// command runs in a process of its own against the stand-in, whose
// Centrifuge node and plugin run in this process, so they do not count.
// The figures come from tickwatch's report: its own CPU time per
// delivered tick (history rows included), which a loaded machine changes
// little, and cores, that time over the run's wall time (a 20 s ramp,
// which spreads the history queries, and a 20 s window).
//
//	go test ./internal/host -run '^$' -bench TickwatchViewers -benchtime 1x
func BenchmarkTickwatchViewers(b *testing.B) {
	root, err := moduleRoot()
	if err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(b.TempDir(), "tickwatch")
	build := exec.Command("go", "build", "-o", bin, "./cmd/tickwatch")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build ./cmd/tickwatch: %v\n%s", err, out)
	}
	for _, c := range []struct {
		viewers int
		tick    string
	}{{1000, "1s"}, {200, "100ms"}} {
		b.Run(fmt.Sprintf("viewers=%d/tick=%s", c.viewers, c.tick), func(b *testing.B) { benchTickwatch(b, bin, c.viewers, c.tick) })
	}
}

func benchTickwatch(b *testing.B, bin string, viewers int, tick string) {
	s := startLiveStandIn(b, true)
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "r.json")
		cmd := exec.Command(bin, "-url", s.url, "-token", standInToken, "-datasource", s.ds.UID,
			"-streams", "5", "-viewers", strconv.Itoa(viewers), "-tick", tick, "-history", "10s",
			"-ramp", "20s", "-duration", "20s", "-grace", "30s", "-progress", "5s", "-json", path)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		b.Logf("tickwatch: %v\n%s", err, out.String())
		raw, rerr := os.ReadFile(path)
		if rerr != nil {
			b.Fatal(rerr)
		}
		var r tickwatch.Report
		if err := json.Unmarshal(raw, &r); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.CPUPerTickUs, "cpu-µs/tick")
		b.ReportMetric(r.CPUSeconds/r.Seconds, "cores")
		b.ReportMetric(float64(r.TicksDelivered)/r.Seconds, "ticks/s")
		b.ReportMetric(float64(r.Missing), "missing")
	}
}
