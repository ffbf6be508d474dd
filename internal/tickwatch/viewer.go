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

// viewer is one dashboard viewer: one Live connection (one browser tab)
// on one instance, showing every stream in a panel of its own. It opens
// as a dashboard does: the connection, then per panel the history query
// and the subscription to the channel the answer names.
type viewer struct {
	n      int
	inst   *instance
	client *centrifuge.Client

	// up gets the outcome of the first connection attempt.
	up chan error

	mu        sync.Mutex // the tracks, fed by the client's callbacks and finished by Run
	tracks    []*check.Track
	connected bool   // it has been connected once: a later connect is a reconnection
	failure   string // why a subscription was refused for good
}

// newViewer makes viewer n's client; start connects it.
func newViewer(n int, inst *instance) *viewer {
	v := &viewer{n: n, inst: inst, up: make(chan error, 1)}
	g := inst.grafana
	cfg := centrifuge.Config{Header: g.header.Clone(), CookieJar: g.jar, Name: "tickwatch"}
	v.client = centrifuge.NewJsonClient(g.liveURL(), cfg)
	v.client.OnConnected(func(centrifuge.ConnectedEvent) {
		v.mu.Lock()
		defer v.mu.Unlock()
		if v.connected {
			inst.stats.Reconnects.Add(1)
		}
		v.connected = true
		v.signal(nil)
	})
	v.client.OnError(func(e centrifuge.ErrorEvent) { v.signal(e.Error) })
	return v
}

// signal passes the first connection's outcome to start; later ones are
// dropped.
func (v *viewer) signal(err error) {
	select {
	case v.up <- err:
	default:
	}
}

// start connects the viewer and opens its panels one after the other:
// history over the last historyMs, then the subscription. Every Track
// must be received up to cutoffMs.
func (v *viewer) start(ctx context.Context, cfg Config, streams []*stream, historyMs, cutoffMs int64) error {
	if err := v.client.Connect(); err != nil {
		return err
	}
	select {
	case err := <-v.up:
		if err != nil {
			return usageErrorf("%s: the Live websocket refused viewer %d: %v: check the credentials, that Grafana Live is enabled ([live] max_connections, above the viewers per instance) and that a proxy in front of Grafana passes websockets", v.inst.grafana.liveURL(), v.n, err)
		}
	case <-ctx.Done():
		return ctx.Err()
	}
	for _, s := range streams {
		now := time.Now().UnixMilli()
		from := now - historyMs
		h, err := v.inst.grafana.queryHistory(ctx, cfg.Datasource, s, from, now, maxDataPoints(s, historyMs))
		if err != nil {
			return err
		}
		tr := check.NewTrack(s.expect, &v.inst.stats, v.inst.index, v.n, s.n, from, cutoffMs)
		v.mu.Lock()
		v.tracks = append(v.tracks, tr)
		tr.History(h.timesMs, h.values)
		v.mu.Unlock()
		if err := v.subscribe(s, h, tr); err != nil {
			return err
		}
	}
	return nil
}

// subscribe subscribes to the stream's channel as @grafana/runtime does
// (no data) or, for a hashed channel, as Tickstream's frontend does (the
// definition as data), and feeds its messages to tr.
func (v *viewer) subscribe(s *stream, h *history, tr *check.Track) error {
	var cfg centrifuge.SubscriptionConfig
	if h.definition != "" {
		data, err := json.Marshal(channel.SubscribeData{Definition: h.definition})
		if err != nil {
			return err
		}
		cfg.Data = data
	}
	sub, err := v.client.NewSubscription(v.inst.grafana.prefix+"/"+h.channel, cfg)
	if err != nil {
		return fmt.Errorf("viewer %d, stream %d: %w", v.n, s.n, err)
	}
	subscribed := false
	sub.OnSubscribed(func(centrifuge.SubscribedEvent) {
		subscribed = true
		v.mu.Lock()
		tr.Subscribed(time.Now())
		v.mu.Unlock()
	})
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
		var f frameJSON
		err := json.Unmarshal(e.Data, &f)
		var times []int64
		var values [][]*float64
		if err == nil {
			times, values, err = f.rows()
		}
		v.mu.Lock()
		defer v.mu.Unlock()
		if err != nil {
			v.inst.stats.Wrong.Add(1)
			if v.failure == "" {
				v.failure = fmt.Sprintf("viewer %d, stream %d: a live message is not a data frame (%v): %.200s", v.n, s.n, err, e.Data)
			}
			return
		}
		tr.Live(times, values, arrived)
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
