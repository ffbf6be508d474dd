package host

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tickstream/streaming/internal/tickwatch"
)

// The tickwatch tests run cmd/tickwatch (tickwatch.Main, what the command
// runs) against liveStandIn: the real Centrifuge protocol, the real
// plugin executable. Faults are injected once every viewer is subscribed
// and messages flow, so they fall inside the checked window; counts are
// asserted exactly where the protocol fixes them, times never.

// watchRun is one tickwatch run's outcome.
type watchRun struct {
	code           int
	stdout, stderr string
	report         tickwatch.Report
	keys           map[string]json.RawMessage // the -json file's top-level keys
}

// runTickwatch runs tickwatch with args plus -json.
func runTickwatch(t *testing.T, args ...string) watchRun {
	t.Helper()
	path := filepath.Join(t.TempDir(), "r.json")
	var stdout, stderr bytes.Buffer
	r := watchRun{code: tickwatch.Main(append(args, "-json", path), &stdout, &stderr)}
	r.stdout, r.stderr = stdout.String(), stderr.String()
	t.Logf("tickwatch %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	if r.code == 2 {
		return r
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &r.report); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &r.keys); err != nil {
		t.Fatal(err)
	}
	return r
}

// watchArgs are the flags every streaming test uses: short windows,
// generous grace for a loaded machine.
func watchArgs(s *liveStandIn, extra ...string) []string {
	return append([]string{"-url", s.url, "-token", standInToken, "-datasource", s.ds.UID,
		"-history", "3s", "-ramp", "300ms", "-grace", "30s", "-progress", "1s"}, extra...)
}

// whenFlowing calls fault once subs subscriptions exist and the busiest
// channel has published 5 messages since, in the background.
func whenFlowing(t *testing.T, s *liveStandIn, subs int, fault func()) *sync.WaitGroup {
	var wg sync.WaitGroup
	wg.Go(func() {
		var base int
		ok, msg := eventually(60*time.Second, func() (bool, string) {
			n, pub := s.counts()
			if n < subs {
				base = pub
				return false, fmt.Sprintf("%d of %d subscriptions", n, subs)
			}
			return pub >= base+5, fmt.Sprintf("%d messages since the subscriptions", pub-base)
		})
		if !ok {
			t.Errorf("the viewers never got going: %s", msg)
			return
		}
		fault()
	})
	return &wg
}

// TestTickwatchHAPair: two instances, each with its own plugin process
// (as an HA pair runs one RunStream per channel per instance), one
// namespaced (Grafana 12.4+: channel ids start with "default/") and one
// not (the org id): every tick arrives at every viewer exactly, exit 0,
// and the report has both instances. The query has several series,
// nulls, outages and labels so long that its channel is hashed and needs
// the definition as subscribe data; and exemplars, whose channel each
// viewer follows too (hashed as well), every exemplar tick checked.
func TestTickwatchHAPair(t *testing.T) {
	a, b := startLiveStandIn(t, true), startLiveStandIn(t, false)
	labels := "host=web-$seriesIndex, note=" + strings.Repeat("x", 120)
	query := fmt.Sprintf(`{"tickInterval":100,"seed":$i,"series":2,"shape":"sine","period":3000,"dropPercent":20,"outagePeriod":2000,"outageDuration":300,"labels":%q,"exemplars":15}`, labels)
	r := runTickwatch(t, watchArgs(a, "-url", b.url, "-streams", "2", "-viewers", "6", "-duration", "3s", "-query", query)...)
	if r.code != 0 {
		t.Fatalf("exit %d, want 0", r.code)
	}
	for _, k := range []string{"ticksExpected", "ticksDelivered", "missing", "duplicated", "wrong", "latencyMs", "instances", "exemplars"} {
		if _, ok := r.keys[k]; !ok {
			t.Errorf("the JSON report has no %q", k)
		}
	}
	var lat map[string]float64
	if err := json.Unmarshal(r.keys["latencyMs"], &lat); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"p50", "p99", "max"} {
		if _, ok := lat[k]; !ok {
			t.Errorf("latencyMs has no %q", k)
		}
	}
	rep := r.report
	if len(rep.Instances) != 2 {
		t.Fatalf("%d instances, want 2", len(rep.Instances))
	}
	var sum int64
	for i, in := range rep.Instances {
		if in.URL != []string{a.url, b.url}[i] || in.Viewers != 3 {
			t.Errorf("instance %d: %s with %d viewers, want %s with 3", i, in.URL, in.Viewers, []string{a.url, b.url}[i])
		}
		if in.TicksExpected == 0 || in.TicksDelivered != in.TicksExpected {
			t.Errorf("instance %d: %d of %d ticks delivered", i, in.TicksDelivered, in.TicksExpected)
		}
		sum += in.TicksDelivered
	}
	if rep.TicksDelivered != sum || rep.Reconnects != 0 || rep.LatencyMs.Max <= 0 {
		t.Errorf("total: %d delivered (instances %d), %d reconnects, max latency %v ms", rep.TicksDelivered, sum, rep.Reconnects, rep.LatencyMs.Max)
	}
	if !strings.Contains(r.stdout, "viewers 3/3") || !strings.Contains(r.stdout, "OK: every one of") {
		t.Error("no progress line with the viewers connected, or no OK verdict")
	}
	// 3 s of history at 100 ms is about 30 ticks: an exemplar every
	// ceil(30 / 15) = 2 ticks, so each of the 12 viewer-streams expects
	// about 30 exemplar ticks over the history and the window, less the
	// outages'.
	x := rep.Exemplars
	if x == nil || x.TicksExpected < 12*10 || x.TicksDelivered != x.TicksExpected || x.Missing != 0 || x.Wrong != 0 || x.Duplicated != 0 || x.OutOfOrder != 0 {
		t.Fatalf("exemplar figures %+v; want at least 120 exemplar ticks expected, every one delivered, nothing wrong", x)
	}
	for i, in := range rep.Instances {
		if in.Exemplars == nil || in.Exemplars.TicksExpected == 0 || in.Exemplars.TicksDelivered != in.Exemplars.TicksExpected {
			t.Errorf("instance %d: exemplar figures %+v", i, in.Exemplars)
		}
	}
	// Each viewer subscribed to each stream and its exemplar channel once.
	for _, s := range []*liveStandIn{a, b} {
		if subs, _ := s.counts(); subs != 3*2*2 {
			t.Errorf("%s: %d subscriptions, want 12", s.url, subs)
		}
	}
	if want := fmt.Sprintf(" and %d exemplar ticks was delivered once", x.TicksExpected); !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "exemplar ticks  viewers") {
		t.Errorf("no exemplar table, or the verdict does not say %q", want)
	}
}

// TestTickwatchWrongExemplar: one message of stream 0's exemplar channel
// carries a wrong value; every viewer of it counts that exemplar tick
// wrong, the stream's own ticks stay right, and the exit status is 1.
func TestTickwatchWrongExemplar(t *testing.T) {
	s := startLiveStandIn(t, true)
	var once sync.Once
	s.mutate = func(channel string, _ int, data []byte) []byte {
		subs, _ := s.counts()
		if subs < 4 || !strings.Contains(channel, "/seed=0/") || !strings.Contains(channel, "/ex=") {
			return data
		}
		once.Do(func() {
			var f struct {
				Data struct {
					Values []json.RawMessage `json:"values"`
				} `json:"data"`
			}
			if err := json.Unmarshal(data, &f); err != nil {
				t.Errorf("an exemplar message: %v", err)
				return
			}
			var values []float64
			if err := json.Unmarshal(f.Data.Values[1], &values); err != nil {
				t.Errorf("an exemplar message's values: %v", err)
				return
			}
			values[0] += 0.5
			b, err := json.Marshal(values)
			if err == nil {
				f.Data.Values[1] = b
				b, err = json.Marshal(f)
			}
			if err != nil {
				t.Error(err)
				return
			}
			data = b
		})
		return data
	}
	query := `{"tickInterval":100,"seed":$i,"exemplars":30}`
	r := runTickwatch(t, watchArgs(s, "-streams", "1", "-viewers", "2", "-duration", "3s", "-query", query)...)
	rep := r.report
	if r.code != 1 {
		t.Fatalf("exit %d, want 1", r.code)
	}
	x := rep.Exemplars
	if rep.Wrong != 0 || rep.Missing != 0 || x == nil || x.Wrong != 2 || x.Missing != 0 || x.Duplicated != 0 || x.OutOfOrder != 0 {
		t.Fatalf("wrong %d, missing %d, exemplar figures %+v; want 2 exemplar ticks wrong (one per viewer) and nothing else", rep.Wrong, rep.Missing, x)
	}
	if p := x.FirstProblem; p == nil || p.Kind != "wrong" || !strings.Contains(p.Detail, "series 1: value ") {
		t.Fatalf("first exemplar problem %v, want a wrong value", p)
	}
	if !strings.Contains(r.stdout, "FAIL: exemplar ticks: 2 wrong") || !strings.Contains(r.stdout, "first exemplar problem: wrong: stream 0") {
		t.Error("the verdict does not name the wrong exemplar ticks")
	}
}

// TestTickwatchDroppedConnection: Grafana drops a viewer's connection;
// the viewer reconnects and resubscribes as the browser does, the report
// counts the reconnection and what it cost (the messages sent meanwhile,
// which Live does not keep), and nothing else goes wrong.
func TestTickwatchDroppedConnection(t *testing.T) {
	s := startLiveStandIn(t, true)
	wg := whenFlowing(t, s, 6, func() { s.dropClient(0) })
	r := runTickwatch(t, watchArgs(s, "-streams", "2", "-viewers", "3", "-tick", "100ms", "-duration", "5s")...)
	wg.Wait()
	rep := r.report
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (ticks were lost)", r.code)
	}
	// The client waits at least 500 ms before it reconnects, as the
	// browser does: at least one 100 ms tick of each of the two streams
	// falls in between.
	if rep.Reconnects != 1 || rep.LostToReconnects < 2 || rep.Missing != rep.LostToReconnects {
		t.Errorf("%d reconnects costing %d ticks, %d missing; want 1 reconnect costing every missing tick, at least 2", rep.Reconnects, rep.LostToReconnects, rep.Missing)
	}
	if rep.Duplicated != 0 || rep.Wrong != 0 || rep.OutOfOrder != 0 {
		t.Errorf("duplicated %d, wrong %d, out of order %d; want none", rep.Duplicated, rep.Wrong, rep.OutOfOrder)
	}
	if p := rep.FirstProblem; p == nil || p.Kind != "missing" || !strings.Contains(p.Detail, "reconnected") {
		t.Errorf("first problem %v, want the reconnection's missing ticks", p)
	}
}

// TestTickwatchKilledPlugin: the plugin process dies mid-run; the
// stand-in starts another and runs the streams again, as Grafana does.
// The ticks sent by no process are missing for every viewer: exit 1, and
// the streams resumed.
func TestTickwatchKilledPlugin(t *testing.T) {
	s := startLiveStandIn(t, true)
	var atKill int
	wg := whenFlowing(t, s, 4, func() {
		_, atKill = s.counts()
		s.kill()
	})
	r := runTickwatch(t, watchArgs(s, "-streams", "2", "-viewers", "2", "-tick", "100ms", "-duration", "6s")...)
	wg.Wait()
	rep := r.report
	if r.code != 1 {
		t.Fatalf("exit %d, want 1", r.code)
	}
	_, published := s.counts()
	s.mu.Lock()
	restarts := s.restarts
	s.mu.Unlock()
	if restarts != 1 || published < atKill+5 {
		t.Fatalf("%d restarts, %d messages after the kill; want 1 and the streams resumed", restarts, published-atKill)
	}
	// A restart takes far longer than a tick: each of the 4 viewer-streams
	// lost ticks.
	if rep.Missing < 4 || rep.Reconnects != 0 || rep.Duplicated != 0 || rep.Wrong != 0 || rep.OutOfOrder != 0 {
		t.Errorf("missing %d, reconnects %d, duplicated %d, wrong %d, out of order %d; want at least 4 missing and nothing else",
			rep.Missing, rep.Reconnects, rep.Duplicated, rep.Wrong, rep.OutOfOrder)
	}
	if !strings.Contains(r.stdout, fmt.Sprintf("FAIL: %d missing", rep.Missing)) {
		t.Error("the verdict does not count the missing ticks")
	}
}

// TestTickwatchWrongValue: one message of stream 1 carries a wrong value;
// every viewer of it counts it wrong, exit 1, and the report names the
// stream, a viewer and the tick's time first.
func TestTickwatchWrongValue(t *testing.T) {
	s := startLiveStandIn(t, false)
	var once sync.Once
	s.mutate = func(channel string, _ int, data []byte) []byte {
		subs, _ := s.counts()
		if subs < 6 || !strings.HasSuffix(channel, "/seed=1") {
			return data
		}
		once.Do(func() {
			var f struct {
				Data struct {
					Values [][]float64 `json:"values"`
				} `json:"data"`
			}
			if err := json.Unmarshal(data, &f); err != nil {
				t.Errorf("a stream message: %v", err)
				return
			}
			f.Data.Values[1][0] += 0.5
			b, err := json.Marshal(f)
			if err != nil {
				t.Error(err)
				return
			}
			data = b
		})
		return data
	}
	r := runTickwatch(t, watchArgs(s, "-user", "admin", "-password", "admin", "-token", "", "-streams", "2", "-viewers", "3", "-tick", "100ms", "-duration", "4s")...)
	rep := r.report
	if r.code != 1 {
		t.Fatalf("exit %d, want 1", r.code)
	}
	if rep.Wrong != 3 || rep.Missing != 0 || rep.Duplicated != 0 || rep.OutOfOrder != 0 {
		t.Errorf("wrong %d, missing %d, duplicated %d, out of order %d; want 3 wrong (one per viewer) and nothing else", rep.Wrong, rep.Missing, rep.Duplicated, rep.OutOfOrder)
	}
	// A query without exemplars costs no subscription more, and its report
	// has no exemplar figures.
	if subs, _ := s.counts(); subs != 6 || rep.Exemplars != nil || strings.Contains(r.stdout, "exemplar") {
		t.Errorf("%d subscriptions, exemplar figures %+v; want 6 (3 viewers × 2 streams) and none", subs, rep.Exemplars)
	}
	p := rep.FirstProblem
	if p == nil || p.Kind != "wrong" || p.Stream != 1 || !strings.Contains(p.Detail, "series 1: got ") {
		t.Fatalf("first problem %v, want a wrong value of stream 1", p)
	}
	if want := fmt.Sprintf("first: wrong: stream 1, viewer %d, tick ", p.Viewer); !strings.Contains(r.stdout, want) {
		t.Errorf("the report does not say %q", want)
	}
}

// TestTickwatchUsageErrors: what a user can get wrong ends with exit 2
// and a message that says what to fix, before any viewer starts.
func TestTickwatchUsageErrors(t *testing.T) {
	t.Setenv("TICKWATCH_TOKEN", "") // "no credentials" means none at all
	s := startLiveStandIn(t, true)
	base := []string{"-url", s.url, "-duration", "1s", "-viewers", "1", "-streams", "1"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no url", []string{"-token", "x", "-datasource", "tickstream"}, "-url is required"},
		{"no credentials", append(base, "-token", "", "-datasource", "tickstream"), "give -token (a service account token) or -user and -password"},
		{"wrong token", append(base, "-token", "nope", "-datasource", "tickstream"), "401 Unauthorized: give -token a valid service account token"},
		{"wrong password", append(base, "-token", "", "-user", "admin", "-password", "nope", "-datasource", "tickstream"), `refused the log-in of user "admin" (401): check -user and -password`},
		{"unknown data source", append(base, "-token", standInToken, "-datasource", "nope"), `has no data source with uid "nope"`},
		{"not Tickstream", append(base, "-token", standInToken, "-datasource", "prom"), `is of type "prometheus", not Tickstream`},
		{"kind logs", append(base, "-token", standInToken, "-datasource", "tickstream", "-query", `{"kind":"logs"}`), "only kind number"},
		{"invalid query", append(base, "-token", standInToken, "-datasource", "tickstream", "-query", `{"tickInterval":0}`), "-query for stream 0: tickInterval must be a whole number of milliseconds"},
		{"refused by the data source", append(base, "-token", standInToken, "-datasource", "tickstream", "-tick", "5ms"), "the data source refused stream 0's query: tickInterval must be a whole number of milliseconds from 10 (the data source's minTickInterval)"},
		{"no history", append(base, "-token", standInToken, "-datasource", "tickstream", "-tick", "100ms", "-history", "50ms"), "-history 50ms is shorter than stream 0's tickInterval of 100 ms"},
		{"no Grafana there", []string{"-url", "http://127.0.0.1:1", "-token", "x", "-datasource", "tickstream"}, "cannot reach http://127.0.0.1:1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runTickwatch(t, c.args...)
			if r.code != 2 || !strings.Contains(r.stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", r.code, r.stderr, c.want)
			}
		})
	}
	// The token from the environment gets past the log-in to the next check.
	t.Setenv("TICKWATCH_TOKEN", standInToken)
	r := runTickwatch(t, append(base, "-datasource", "nope")...)
	if want := `has no data source with uid "nope"`; r.code != 2 || !strings.Contains(r.stderr, want) {
		t.Errorf("$TICKWATCH_TOKEN: exit %d, stderr %q; want 2 and %q", r.code, r.stderr, want)
	}
}

// TestTickwatchLiveRefused: Grafana with Live disabled, and Grafana
// refusing the subscriptions, end with exit 2 and a message that says so.
func TestTickwatchLiveRefused(t *testing.T) {
	s := startLiveStandIn(t, true)
	args := watchArgs(s, "-streams", "1", "-viewers", "1", "-tick", "100ms", "-duration", "2s")

	s.mu.Lock()
	s.liveOff = true
	s.mu.Unlock()
	r := runTickwatch(t, args...)
	if want := "Grafana Live is disabled on " + s.url + ": set [live] max_connections above 0"; r.code != 2 || !strings.Contains(r.stderr, want) {
		t.Errorf("Live disabled: exit %d, stderr %q; want 2 and %q", r.code, r.stderr, want)
	}

	s.mu.Lock()
	s.liveOff, s.refuse = false, true
	s.mu.Unlock()
	r = runTickwatch(t, args...)
	if want := "refused viewer 0's subscription to default/ds/tickstream/v1/t=100/lo=0/hi=100/seed=0 (stream 0): code 103, permission denied"; r.code != 2 || !strings.Contains(r.stderr, want) {
		t.Errorf("subscription refused: exit %d, stderr %q; want 2 and %q", r.code, r.stderr, want)
	}
}
