package host

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// pluginBinary is the executable every test starts (see the package doc).
var pluginBinary string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "host:", err)
		return 1
	}
	if env := os.Getenv("TICKSTREAM_PLUGIN_BINARY"); env != "" {
		pluginBinary = env
		if !filepath.IsAbs(pluginBinary) {
			pluginBinary = filepath.Join(root, pluginBinary)
		}
		if _, err := os.Stat(pluginBinary); err != nil {
			fmt.Fprintf(os.Stderr, "host: TICKSTREAM_PLUGIN_BINARY: %v (build it with `mage -v build:linux`)\n", err)
			return 1
		}
	} else {
		dir, err := os.MkdirTemp("", "tickstream-host-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "host:", err)
			return 1
		}
		defer func() { _ = os.RemoveAll(dir) }()
		pluginBinary = filepath.Join(dir, "gpx_streaming")
		cmd := exec.Command("go", "build", "-o", pluginBinary, "./pkg")
		cmd.Dir = root
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "host: go build ./pkg:", err)
			return 1
		}
	}
	return m.Run()
}

// moduleRoot is the directory holding go.mod, found upwards from here.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// startPlugin starts a plugin process for t, stopped when t ends; the
// plugin's log is printed when t failed.
func startPlugin(t testing.TB) *Plugin {
	t.Helper()
	p, err := Start(pluginBinary)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.Stop()
		if t.Failed() {
			t.Logf("plugin log (pid %d), last lines:\n%s", p.Pid(), logTail(p.Log(), 40))
		}
	})
	return p
}

// dsSeq makes data source ids unique within the test binary, so instances
// never collide in the SDK's cache across tests sharing a process.
var dsSeq atomic.Int64

// dataSource returns a data source with jsonData as given (raw bytes), a
// fresh id and the uid "tickstream" (the provisioned one).
func dataSource(jsonData string) DataSource {
	id := dsSeq.Add(1)
	return DataSource{
		ID:       id,
		UID:      "tickstream",
		Name:     "Tickstream",
		JSONData: []byte(jsonData),
		Updated:  time.UnixMilli(1_700_000_000_000 + id),
	}
}

// defaultDS is a data source with every setting at its default.
func defaultDS() DataSource { return dataSource(`{}`) }

// ctxFor gives a context with a generous deadline for one call or phase.
func ctxFor(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// mustJSON marshals v for a query or subscribe data.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pathFor formats a channel path by hand for simple numbers (integers and
// literal decimals written as in JavaScript), independently of pkg/channel.
func pathFor(tick int64, lo, hi string, seed int64) string {
	return fmt.Sprintf("v1/t=%d/lo=%s/hi=%s/seed=%d", tick, lo, hi, seed)
}

// eventually polls cond every 50 ms until it returns true or the deadline
// passes; it returns cond's last message on failure.
func eventually(deadline time.Duration, cond func() (bool, string)) (bool, string) {
	end := time.Now().Add(deadline)
	for {
		ok, msg := cond()
		if ok {
			return true, msg
		}
		if time.Now().After(end) {
			return false, msg
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// firstLine shortens a long message for a failure report.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// readFile reads a file under the module root.
func readFile(root, rel string) ([]byte, error) {
	return os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
}

// logTail keeps the last n lines of a plugin log that say something (the
// SDK's per-request debug lines are dropped).
func logTail(log string, n int) string {
	var keep []string
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, "Missing tenantID") || strings.Contains(l, "Plugin Request Started") {
			continue
		}
		keep = append(keep, l)
	}
	if len(keep) > n {
		keep = keep[len(keep)-n:]
	}
	return strings.Join(keep, "\n")
}
