package host

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Issue 5's lifecycle through the host: many streams opened and cancelled,
// how fast a cancelled stream stops, a plugin killed and started again,
// and the sockets the process listens on.

// TestStreamOpenCancelCycles: 1,000 streams opened and cancelled (in
// parallel batches, half after their first packet, half at once, which
// races the cancellation with the stream's start) leave the plugin's
// goroutines and file descriptors at their baseline.
func TestStreamOpenCancelCycles(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	baseG, baseF := warmBaseline(t, p, ds, pathFor(10, "0", "100", 0))
	rssBefore, err := p.RSS()
	if err != nil {
		t.Fatalf("RSS: %v", err)
	}

	const cycles, workers = 1000, 25
	errs := make(chan error, cycles)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < cycles; i += workers {
				if err := openCancel(p, ds, i); err != nil {
					errs <- fmt.Errorf("cycle %d: %w", i, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	n := 0
	for err := range errs {
		if n < 5 {
			t.Error(err)
		}
		n++
	}
	if n > 0 {
		t.Fatalf("%d of %d cycles failed", n, cycles)
	}

	g, f, ok := backToBaseline(t, p, baseG, baseF)
	if !ok {
		t.Errorf("after %d open/cancel cycles: %d goroutines (baseline %d), %d fds (baseline %d)", cycles, g, baseG, f, baseF)
	}
	rssAfter, err := p.RSS()
	if err != nil {
		t.Fatalf("RSS: %v", err)
	}
	t.Logf("%d cycles: goroutines %d → %d, fds %d → %d, RSS %.1f MiB → %.1f MiB",
		cycles, baseG, g, baseF, f, float64(rssBefore)/(1<<20), float64(rssAfter)/(1<<20))
	assertAlive(t, p)
}

// openCancel is one cycle: subscribe, run, and cancel, after the first
// packet for even i (a 10 ms stream) or right away for odd i (an hourly
// stream whose handler may not even have started).
func openCancel(p *Plugin, ds DataSource, i int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tick := int64(10)
	if i%2 == 1 {
		tick = 3_600_000
	}
	path := pathFor(tick, "0", "100", int64(i))
	resp, err := p.SubscribeStream(ctx, ds, path, nil)
	if err != nil {
		return fmt.Errorf("SubscribeStream: %w", err)
	}
	if resp.Status != statusOK {
		return fmt.Errorf("SubscribeStream: %v", resp.Status)
	}
	s, err := p.RunStream(ctx, ds, path, nil)
	if err != nil {
		return fmt.Errorf("RunStream: %w", err)
	}
	if i%2 == 0 {
		select {
		case _, ok := <-s.Packets():
			if !ok {
				return fmt.Errorf("ended before its first packet: %v", s.Err())
			}
		case <-ctx.Done():
			s.Cancel()
			return errors.New("no packet within 30 s")
		}
	}
	s.Cancel()
	for range s.Packets() {
	}
	if err := s.Err(); err != nil && status.Code(err) != codes.Canceled {
		return fmt.Errorf("ended with %v, want the cancellation", err)
	}
	return nil
}

// TestStreamCancelStopsPromptly: a cancelled stream stops within one tick
// or 50 ms, whichever is longer. With an hourly tick, a stream that only
// notices its cancellation at its next tick would hold its handler for up
// to an hour; the bound here is generous for a loaded machine and still
// catches that. The end of the server's stream is seen as the plugin's
// goroutine count falling back (the client's own Recv ends at once on
// cancellation, whatever the server does).
func TestStreamCancelStopsPromptly(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	baseG, _ := warmBaseline(t, p, ds, pathFor(10, "0", "100", 0))

	const bound = 2 * time.Second
	for _, path := range []string{pathFor(3_600_000, "0", "100", 1), "v1/t=86400000/lo=0/hi=100/seed=2"} {
		_, s := openStream(t, p, ds, path)
		var g int
		if ok, _ := eventually(30*time.Second, func() (bool, string) {
			g, _ = counts(t, p)
			return g > baseG, ""
		}); !ok {
			t.Fatalf("%s: the stream's handler never started (%d goroutines, baseline %d)", path, g, baseG)
		}
		cancelled := time.Now()
		s.Cancel()
		var stopped time.Duration
		for {
			g, _ = counts(t, p)
			if g <= baseG {
				stopped = time.Since(cancelled)
				break
			}
			if time.Since(cancelled) > 30*time.Second {
				t.Fatalf("%s: still %d goroutines (baseline %d) 30 s after cancellation", path, g, baseG)
			}
			time.Sleep(2 * time.Millisecond)
		}
		t.Logf("%s: stopped %v after cancellation (bound %v)", path, stopped.Round(time.Millisecond), bound)
		if stopped > bound {
			t.Errorf("%s: the handler ended %v after cancellation, want within %v", path, stopped, bound)
		}
		waitDone(t, s, path)
	}
}

// TestPluginKilledAndRestarted: the plugin is killed (SIGKILL) while
// streaming and started again, as Grafana restarts a crashed plugin. The
// old stream ends with an error (Grafana's retry path); a new subscriber
// then gets history that covers the outage with the values the old process
// streamed, and live ticks that continue the history with no gap and no
// duplicate.
func TestPluginKilledAndRestarted(t *testing.T) {
	t.Parallel()
	const tick = 200
	path := pathFor(tick, "0", "100", 77)
	qJSON := queryJSON(t, tick, 0, 100, 77)

	p1 := startPlugin(t)
	sc1, s1 := openStream(t, p1, defaultDS(), path)
	before := collect(t, s1, sc1, time.Second)
	if len(before) < 2 {
		t.Fatalf("%d points before the kill", len(before))
	}
	if err := syscall.Kill(p1.Pid(), syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL: %v", err)
	}
	for range s1.Packets() {
	}
	if err := s1.Err(); err == nil || status.Code(err) == codes.Canceled {
		t.Errorf("the killed plugin's stream ended with %v, want an error", err)
	}
	if ok, _ := eventually(30*time.Second, func() (bool, string) { return p1.Exited(), "" }); !ok {
		t.Fatal("the killed plugin has not exited")
	}

	p2 := startPlugin(t)
	ds := defaultDS()
	sc2, s2 := openStream(t, p2, ds, path)
	waitFirstPacket(t, s2, sc2, "restarted stream")

	// Join like a new browser: right after a packet, query the history up to
	// now, then take the packets that arrive after the answer. A packet
	// that arrives while the query runs makes the join ambiguous; join again.
	var hist series
	var live []point
	for attempt := 0; ; attempt++ {
		if attempt == 5 {
			t.Fatal("five joins in a row raced with a packet")
		}
		// Wait for the next packet, then query at once.
		select {
		case _, ok := <-s2.Packets():
			if !ok {
				t.Fatalf("the restarted stream ended: %v", s2.Err())
			}
		case <-time.After(30 * time.Second):
			t.Fatal("no packet from the restarted stream within 30 s")
		}
		asked := time.Now()
		r := queryOne(t, p2, ds, Query{RefID: "A", JSON: qJSON, From: msTime(before[0].t), To: time.Now(), MaxDataPoints: 10000})
		answered := time.Now()
		hist, _ = oneSeries(t, "history after the restart", r)
		live = collect(t, s2, sc2, 3*tick*time.Millisecond)
		if len(live) == 0 {
			t.Fatal("no live points after the history")
		}
		if live[0].receivedAt.After(answered) {
			break
		}
		t.Logf("join %d: a packet arrived %v after the query was sent, before its answer; joining again",
			attempt, live[0].receivedAt.Sub(asked))
	}

	// History covers the outage: consecutive ticks from the old process's
	// first point, with the values it streamed.
	if d := diffTimes(hist.times, expectedTimes(before[0].t, hist.times[len(hist.times)-1], tick, 10000)); d != "" {
		t.Errorf("history across the outage: %s", d)
	}
	if last := hist.times[len(hist.times)-1]; last <= before[len(before)-1].t {
		t.Errorf("history ends at %d, not after the old process's last tick %d", last, before[len(before)-1].t)
	}
	at := map[int64]float64{}
	for i, ts := range hist.times {
		at[ts] = hist.values[i]
	}
	for _, pt := range before {
		if v, ok := at[pt.t]; !ok || v != pt.v {
			t.Errorf("at %d the old process streamed %v, the new history has %v (present %v)", pt.t, pt.v, v, ok)
			break
		}
	}

	// Live continues the history: the first live tick is the one after the
	// history's last, then every tick once, with the pure function's values.
	hLast := hist.times[len(hist.times)-1]
	if live[0].t != hLast+tick {
		t.Errorf("history ends at %d and live starts at %d: want %d (no gap, no duplicate)", hLast, live[0].t, hLast+tick)
	}
	checkTicks(t, live, tick, 0, 100)
	r := queryOne(t, p2, ds, Query{RefID: "A", JSON: qJSON, From: msTime(live[0].t), To: msTime(live[len(live)-1].t), MaxDataPoints: 10000})
	later, _ := oneSeries(t, "history of the live range", r)
	for i, pt := range live {
		if i >= len(later.times) || later.times[i] != pt.t || later.values[i] != pt.v {
			t.Errorf("live point %d at %d (%v) differs from the history of its range", i, pt.t, pt.v)
			break
		}
	}
}

// listener is one listening socket a process holds.
type listener struct {
	proto, addr string
}

// listeningSockets lists the sockets pid holds that listen (TCP LISTEN,
// any bound UDP socket, unix sockets accepting connections), from the
// socket inodes in /proc/<pid>/fd and the tables in /proc/<pid>/net.
func listeningSockets(pid int) ([]listener, error) {
	owned := map[string]bool{}
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		link, err := os.Readlink(dir + "/" + e.Name())
		if err != nil {
			continue // closed meanwhile
		}
		if inode, ok := strings.CutPrefix(link, "socket:["); ok {
			owned[strings.TrimSuffix(inode, "]")] = true
		}
	}
	var out []listener
	for _, table := range []string{"tcp", "tcp6", "udp", "udp6"} {
		rows, err := procTable(fmt.Sprintf("/proc/%d/net/%s", pid, table))
		if err != nil {
			return nil, err
		}
		for _, f := range rows {
			// sl local rem st tx:rx tr:when retrnsmt uid timeout inode
			if len(f) < 10 || !owned[f[9]] {
				continue
			}
			if strings.HasPrefix(table, "tcp") && f[3] != "0A" {
				continue // not LISTEN
			}
			out = append(out, listener{proto: table, addr: hexAddr(f[1])})
		}
	}
	rows, err := procTable(fmt.Sprintf("/proc/%d/net/unix", pid))
	if err != nil {
		return nil, err
	}
	for _, f := range rows {
		// Num RefCount Protocol Flags Type St Inode [Path]
		if len(f) < 7 || !owned[f[6]] {
			continue
		}
		flags, err := strconv.ParseUint(f[3], 16, 32)
		if err != nil || flags&0x10000 == 0 { // __SO_ACCEPTCON
			continue
		}
		addr := ""
		if len(f) > 7 {
			addr = f[7]
		}
		out = append(out, listener{proto: "unix", addr: addr})
	}
	return out, nil
}

// procTable reads a /proc/net table: the fields of each row, header skipped.
func procTable(path string) ([][]string, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = file.Close() }()
	var rows [][]string
	sc := bufio.NewScanner(file)
	sc.Scan()
	for sc.Scan() {
		rows = append(rows, strings.Fields(sc.Text()))
	}
	return rows, sc.Err()
}

// hexAddr turns /proc/net's "0100007F:1F90" (IPv4, little-endian words) or
// its 32-digit IPv6 form into "127.0.0.1:8080" or "[…]:port".
func hexAddr(s string) string {
	host, portHex, ok := strings.Cut(s, ":")
	if !ok {
		return s
	}
	port, _ := strconv.ParseUint(portHex, 16, 16)
	var b []byte
	for i := 0; i+8 <= len(host); i += 8 {
		w, err := strconv.ParseUint(host[i:i+8], 16, 32)
		if err != nil {
			return s
		}
		b = append(b, byte(w), byte(w>>8), byte(w>>16), byte(w>>24))
	}
	if len(b) == 4 {
		return fmt.Sprintf("%d.%d.%d.%d:%d", b[0], b[1], b[2], b[3], port)
	}
	return fmt.Sprintf("[%x]:%d", b, port)
}

// TestOnlyThePluginSocketListens: the process listens on exactly one socket,
// the one go-plugin announced in the handshake (a unix socket on Linux;
// were it TCP, on 127.0.0.1), while it serves queries and streams: no
// debug, metrics or profiling port of its own.
func TestOnlyThePluginSocketListens(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	sc, s := openStream(t, p, ds, pathFor(20, "0", "100", 4))
	waitFirstPacket(t, s, sc, "stream")
	now := time.Now()
	queryOne(t, p, ds, Query{RefID: "A", JSON: []byte(`{}`), From: now.Add(-time.Minute), To: now})
	if _, err := p.Metrics(ctxFor(t, 30*time.Second)); err != nil {
		t.Fatalf("CollectMetrics: %v", err)
	}

	ls, err := listeningSockets(p.Pid())
	if err != nil {
		t.Fatalf("listening sockets: %v", err)
	}
	addr := p.Addr()
	if addr == nil {
		t.Fatal("no go-plugin address")
	}
	t.Logf("go-plugin serves on %s %s; listening: %v", addr.Network(), addr, ls)
	if len(ls) != 1 {
		t.Fatalf("%d listening sockets %v, want exactly one (go-plugin's %s %s)", len(ls), ls, addr.Network(), addr)
	}
	switch addr.Network() {
	case "unix":
		if ls[0].proto != "unix" || ls[0].addr != addr.String() {
			t.Errorf("the one listening socket is %v, want go-plugin's unix socket %s", ls[0], addr)
		}
	case "tcp":
		if !strings.HasPrefix(ls[0].proto, "tcp") || ls[0].addr != addr.String() || !strings.HasPrefix(ls[0].addr, "127.0.0.1:") {
			t.Errorf("the one listening socket is %v, want go-plugin's %s on 127.0.0.1", ls[0], addr)
		}
	default:
		t.Errorf("go-plugin address %s %s: neither unix nor tcp", addr.Network(), addr)
	}
}
