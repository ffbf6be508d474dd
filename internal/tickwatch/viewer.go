package tickwatch

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/centrifugal/centrifuge-go"

	"github.com/tickstream/streaming/internal/tickwatch/check"
	"github.com/tickstream/streaming/pkg/channel"
)

// connectWait is how long a viewer may take to connect: long enough for
// a Grafana busy accepting a thousand websockets at once.
const connectWait = 30 * time.Second

// viewer is one dashboard viewer: one Live connection (one browser tab)
// on one instance, showing every stream in a panel of its own. It opens
// as a dashboard does: the connection, then per panel the history query
// and the subscription to the channel the answer names.
type viewer struct {
	n      int
	inst   *instance
	client *centrifuge.Client

	// up is closed when the first connection is made.
	up     chan struct{}
	upOnce sync.Once

	mu        sync.Mutex // the tracks, fed by the client's callbacks and finished by Run
	tracks    []tracker
	connected bool   // it has been connected once: a later connect is a reconnection
	failure   string // why a subscription was refused for good
	lastErr   error  // the client's last error, for the message when it never connects
}

// tracker is a stream's or an exemplar channel's track.
type tracker interface {
	Resubscribed()
	Done() bool
	Finish()
}

// newViewer makes viewer n's client; start connects it.
func newViewer(n int, inst *instance) *viewer {
	v := &viewer{n: n, inst: inst, up: make(chan struct{})}
	g := inst.grafana
	// The handshake may take longer than the client's 1 s default while
	// Grafana accepts many viewers at once. Reconnections back off as the
	// browser's centrifuge-js does (500 ms to 20 s), so that what a
	// reconnection costs is what a viewer loses.
	cfg := centrifuge.Config{
		Header: g.header.Clone(), CookieJar: g.jar, Name: "tickwatch",
		HandshakeTimeout:  10 * time.Second,
		MinReconnectDelay: 500 * time.Millisecond, MaxReconnectDelay: 20 * time.Second,
	}
	v.client = centrifuge.NewJsonClient(g.liveURL(), cfg)
	v.client.OnConnected(func(centrifuge.ConnectedEvent) {
		v.mu.Lock()
		defer v.mu.Unlock()
		if v.connected {
			inst.stats.Reconnects.Add(1)
		}
		v.connected = true
		v.upOnce.Do(func() { close(v.up) })
	})
	v.client.OnError(func(e centrifuge.ErrorEvent) {
		v.mu.Lock()
		v.lastErr = e.Error
		v.mu.Unlock()
	})
	return v
}

// start connects the viewer and opens its panels one after the other:
// history over the last historyMs, then the subscription. Every Track
// must be received up to cutoffMs.
func (v *viewer) start(ctx context.Context, cfg Config, streams []*stream, historyMs, cutoffMs int64) error {
	// The client retries a failed attempt by itself, as the browser does;
	// only one that never succeeds is an error.
	if err := v.client.Connect(); err != nil {
		v.mu.Lock()
		v.lastErr = err
		v.mu.Unlock()
	}
	select {
	case <-v.up:
	case <-time.After(connectWait):
		v.mu.Lock()
		last := v.lastErr
		v.mu.Unlock()
		return usageErrorf("%s: viewer %d could not connect in %v (last error: %v): check that Grafana Live is enabled ([live] max_connections, above the viewers per instance) and that a proxy in front of Grafana passes websockets", v.inst.grafana.liveURL(), v.n, connectWait, last)
	case <-ctx.Done():
		return ctx.Err()
	}
	for _, s := range streams {
		now := time.Now().UnixMilli()
		from := now - historyMs
		h, err := v.inst.grafana.queryHistory(ctx, cfg.Datasource, s, from, maxDataPoints(s))
		if err != nil {
			return err
		}
		tr := check.NewTrack(s.expect, &v.inst.stats, v.inst.index, v.n, s.n, from, cutoffMs)
		v.mu.Lock()
		v.tracks = append(v.tracks, tr)
		tr.History(h.timesMs, h.values)
		v.mu.Unlock()
		var reader frameReader
		err = v.subscribe(s, h.channel, h.definition, tr, &v.inst.stats, "a data frame", func(msg []byte, arrived time.Time) error {
			times, values, err := reader.read(msg)
			if err == nil {
				tr.Live(times, values, arrived)
			}
			return err
		})
		if err != nil {
			return err
		}
		if h.exemplars != nil {
			if err := v.followExemplars(s, h, from, cutoffMs); err != nil {
				return err
			}
		}
	}
	return nil
}

// followExemplars checks the history's exemplars of stream s and
// subscribes to its exemplar channel, after the stream's, as a panel
// does.
func (v *viewer) followExemplars(s *stream, h *history, fromMs, cutoffMs int64) error {
	x, err := s.expect.Exemplars(h.exemplars.every, s.exemplars)
	if err != nil {
		return err
	}
	tr := check.NewExemplarTrack(x, &v.inst.exemplars, v.inst.index, v.n, s.n, fromMs, cutoffMs)
	endMs := fromMs - 1 // a history without rows covers nothing
	if n := len(h.timesMs); n > 0 {
		endMs = h.timesMs[n-1]
	}
	v.mu.Lock()
	v.tracks = append(v.tracks, tr)
	tr.History(h.exemplars.rows, endMs)
	v.mu.Unlock()
	return v.subscribe(s, h.exemplars.channel, h.exemplars.definition, tr, &v.inst.exemplars, "an exemplar frame", func(msg []byte, arrived time.Time) error {
		rows, err := readExemplars(msg)
		if err == nil {
			tr.Live(rows, arrived)
		}
		return err
	})
}

// subscribe subscribes to stream s's channel id as @grafana/runtime does
// (no data) or, for a hashed channel, as Tickstream's frontend does (the
// definition as data), and hands its messages to handle, with v.mu held.
// A message that handle cannot read (what it should be: "a data frame",
// say) counts as wrong in stats, the channel's, and ends the run.
func (v *viewer) subscribe(s *stream, id, definition string, tr tracker, stats *check.Stats, what string, handle func(msg []byte, arrived time.Time) error) error {
	var cfg centrifuge.SubscriptionConfig
	if definition != "" {
		data, err := json.Marshal(channel.SubscribeData{Definition: definition})
		if err != nil {
			return err
		}
		cfg.Data = data
	}
	sub, err := v.client.NewSubscription(v.inst.grafana.prefix+"/"+id, cfg)
	if err != nil {
		return fmt.Errorf("viewer %d, stream %d: %w", v.n, s.n, err)
	}
	subscribed := false
	sub.OnSubscribed(func(centrifuge.SubscribedEvent) { subscribed = true })
	sub.OnSubscribing(func(centrifuge.SubscribingEvent) {
		if subscribed {
			v.mu.Lock()
			tr.Resubscribed()
			v.mu.Unlock()
		}
	})
	sub.OnUnsubscribed(func(e centrifuge.UnsubscribedEvent) {
		if e.Code == 0 { // tickwatch's own unsubscribe at the end
			return
		}
		v.mu.Lock()
		defer v.mu.Unlock()
		if v.failure == "" {
			v.failure = fmt.Sprintf("%s refused viewer %d's subscription to %s (stream %d): code %d, %s", v.inst.grafana.base, v.n, sub.Channel, s.n, e.Code, e.Reason)
		}
	})
	sub.OnPublication(func(e centrifuge.PublicationEvent) {
		arrived := time.Now()
		v.mu.Lock()
		defer v.mu.Unlock()
		if err := handle(e.Data, arrived); err != nil {
			stats.Wrong.Add(1)
			if v.failure == "" {
				v.failure = fmt.Sprintf("viewer %d, stream %d: a live message on %s is not %s (%v): %.200s", v.n, s.n, sub.Channel, what, err, e.Data)
			}
		}
	})
	return sub.Subscribe()
}

// failureSoFar is why a subscription was refused, or "".
func (v *viewer) failureSoFar() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.failure
}

// done reports whether every Track has had every tick up to the cutoff.
func (v *viewer) done() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, t := range v.tracks {
		if !t.Done() {
			return false
		}
	}
	return true
}

// finish closes the connection and finishes the Tracks.
func (v *viewer) finish() {
	v.client.Close()
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, t := range v.tracks {
		t.Finish()
	}
}

// isConnected reports whether the Live connection is up.
func (v *viewer) isConnected() bool { return v.client.State() == centrifuge.StateConnected }
