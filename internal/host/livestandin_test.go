package host

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/centrifugal/centrifuge"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// liveStandIn is a small Grafana for tickwatch: the HTTP API a dashboard
// uses (log-in, frontend settings, org, data source, /api/ds/query) and
// Grafana Live, a real Centrifuge node (the server library Grafana Live
// is built on) whose subscribe handler asks the plugin's SubscribeStream,
// answers with its InitialData and runs one RunStream per channel, as
// Grafana's runstream manager does, publishing every frame it sends into
// the channel. When the plugin process dies it starts another and runs
// the streams again, as Grafana does.
type liveStandIn struct {
	t   testing.TB
	ds  DataSource
	url string
	// prefix is the channel ids' prefix: "default" where liveNamespaced
	// (Grafana 12.4+), "1" (the org id) before.
	prefix string
	node   *centrifuge.Node
	ctx    context.Context

	mu       sync.Mutex
	plugin   *Plugin
	restarts int
	runs     map[string]bool // channels with a RunStream
	clients  []*centrifuge.Client
	subs     int // successful subscriptions
	// published counts the messages published per channel; mutate, when
	// set, may change a message before it is published.
	published map[string]int
	mutate    func(channel string, n int, data []byte) []byte
	runners   sync.WaitGroup
	// liveOff makes the frontend settings say Live is disabled, and
	// refuse makes every subscription fail with PermissionDenied.
	liveOff, refuse bool
}

// The stand-in's credentials: a service account token, or admin/admin.
const (
	standInToken   = "glsa_standin"
	standInSession = "standin-session"
)

// startLiveStandIn starts a stand-in with its own plugin process; it is
// stopped when t ends.
func startLiveStandIn(t testing.TB, namespaced bool) *liveStandIn {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &liveStandIn{t: t, ds: defaultDS(), plugin: startPlugin(t), ctx: ctx,
		runs: map[string]bool{}, published: map[string]int{}, prefix: "1"}
	if namespaced {
		s.prefix = "default"
	}
	node, err := centrifuge.New(centrifuge.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.node = node
	node.OnConnecting(func(context.Context, centrifuge.ConnectEvent) (centrifuge.ConnectReply, error) {
		return centrifuge.ConnectReply{}, nil
	})
	node.OnConnect(func(c *centrifuge.Client) {
		s.mu.Lock()
		s.clients = append(s.clients, c)
		s.mu.Unlock()
		c.OnSubscribe(func(e centrifuge.SubscribeEvent, cb centrifuge.SubscribeCallback) {
			cb(s.subscribe(e))
		})
	})
	if err := node.Run(); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("GET /api/frontend/settings", func(w http.ResponseWriter, _ *http.Request) {
		s.mu.Lock()
		off := s.liveOff
		s.mu.Unlock()
		writeJSON(w, map[string]any{"liveEnabled": !off, "liveNamespaced": namespaced, "namespace": "default"})
	})
	mux.HandleFunc("GET /api/org", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, map[string]any{"id": 1}) })
	mux.HandleFunc("GET /api/datasources/uid/{uid}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("uid") {
		case s.ds.UID:
			writeJSON(w, map[string]any{"uid": s.ds.UID, "type": PluginID})
		case "prom":
			writeJSON(w, map[string]any{"uid": "prom", "type": "prometheus"})
		default:
			w.WriteHeader(http.StatusNotFound)
			writeJSON(w, map[string]any{"message": "Data source not found"})
		}
	})
	mux.HandleFunc("POST /api/ds/query", s.query)
	ws := centrifuge.NewWebsocketHandler(node, centrifuge.WebsocketConfig{CheckOrigin: func(*http.Request) bool { return true }})
	mux.Handle("/api/live/ws", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := centrifuge.SetCredentials(r.Context(), &centrifuge.Credentials{UserID: "1"})
		ws.ServeHTTP(w, r.WithContext(ctx))
	}))
	srv := httptest.NewServer(s.auth(mux))
	s.url = srv.URL
	t.Cleanup(func() {
		cancel()
		s.runners.Wait()
		srv.Close()
		shutdown, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		_ = node.Shutdown(shutdown) // the test's outcome is decided; a slow shutdown changes nothing
		s.mu.Lock()
		s.plugin.Stop()
		s.mu.Unlock()
	})
	return s
}

// auth lets through /login and requests with the token or the session
// cookie, as Grafana's middleware does for the API and the websocket.
func (s *liveStandIn) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("grafana_session")
		if r.URL.Path == "/login" || r.Header.Get("Authorization") == "Bearer "+standInToken || (err == nil && c.Value == standInSession) {
			next.ServeHTTP(w, r)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		writeJSON(w, map[string]any{"message": "Unauthorized"})
	})
}

func (s *liveStandIn) login(w http.ResponseWriter, r *http.Request) {
	var body struct{ User, Password string }
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.User != "admin" || body.Password != "admin" {
		w.WriteHeader(http.StatusUnauthorized)
		writeJSON(w, map[string]any{"message": "Invalid username or password"})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "grafana_session", Value: standInSession, Path: "/"})
	writeJSON(w, map[string]any{"message": "Logged in"})
}

// query is /api/ds/query: each query goes to the plugin's QueryData with
// the request's range, maxDataPoints and intervalMs, and the frames come
// back as Grafana's JSON.
func (s *liveStandIn) query(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Queries  []map[string]json.RawMessage `json:"queries"`
		From, To string
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	from, err1 := parseTime(req.From)
	to, err2 := parseTime(req.To)
	if err1 != nil || err2 != nil {
		http.Error(w, "from and to must be Unix ms or now", http.StatusBadRequest)
		return
	}
	results := map[string]any{}
	for _, q := range req.Queries {
		var refID string
		var mdp, interval int64
		_ = json.Unmarshal(q["refId"], &refID)         // a missing refId is "", as in Grafana
		_ = json.Unmarshal(q["maxDataPoints"], &mdp)   // absent: 0, the plugin's default
		_ = json.Unmarshal(q["intervalMs"], &interval) // absent: 0
		raw, err := json.Marshal(q)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		res, err := s.currentPlugin().QueryData(r.Context(), s.ds, Query{RefID: refID, JSON: raw,
			From: time.UnixMilli(from), To: time.UnixMilli(to), MaxDataPoints: mdp, Interval: time.Duration(interval) * time.Millisecond})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		out := map[string]any{"status": 200}
		if e := res[refID].Error; e != "" {
			out = map[string]any{"status": 400, "error": e}
		} else {
			out["frames"] = res[refID].Frames
		}
		results[refID] = out
	}
	writeJSON(w, map[string]any{"results": results})
}

// parseTime reads a range end as Grafana's /api/ds/query does, for the
// forms tickwatch sends: Unix ms, or "now".
func parseTime(s string) (int64, error) {
	if s == "now" {
		return time.Now().UnixMilli(), nil
	}
	return strconv.ParseInt(s, 10, 64)
}

// subscribe is Grafana Live's subscribe handler for a ds channel.
func (s *liveStandIn) subscribe(e centrifuge.SubscribeEvent) (centrifuge.SubscribeReply, error) {
	s.mu.Lock()
	refuse := s.refuse
	s.mu.Unlock()
	if refuse {
		return centrifuge.SubscribeReply{}, centrifuge.ErrorPermissionDenied
	}
	rest, ok := strings.CutPrefix(e.Channel, s.prefix+"/ds/"+s.ds.UID+"/")
	if !ok {
		return centrifuge.SubscribeReply{}, centrifuge.ErrorUnknownChannel
	}
	resp, err := s.currentPlugin().SubscribeStream(s.ctx, s.ds, rest, e.Data)
	if err != nil {
		return centrifuge.SubscribeReply{}, centrifuge.ErrorInternal
	}
	switch resp.Status {
	case pluginv2.SubscribeStreamResponse_OK:
	case pluginv2.SubscribeStreamResponse_NOT_FOUND:
		return centrifuge.SubscribeReply{}, centrifuge.ErrorUnknownChannel
	default:
		return centrifuge.SubscribeReply{}, centrifuge.ErrorPermissionDenied
	}
	s.mu.Lock()
	s.subs++
	if !s.runs[e.Channel] {
		s.runs[e.Channel] = true
		s.runners.Add(1)
		go s.run(e.Channel, rest, e.Data)
	}
	s.mu.Unlock()
	return centrifuge.SubscribeReply{Options: centrifuge.SubscribeOptions{Data: resp.Data}}, nil
}

// run is one channel's RunStream, started with the first subscriber's
// data and run again after the plugin process died, until the test ends.
func (s *liveStandIn) run(channel, path string, data []byte) {
	defer s.runners.Done()
	for s.ctx.Err() == nil {
		p := s.currentPlugin()
		if st, err := p.RunStream(s.ctx, s.ds, path, data); err == nil {
			for pkt := range st.Packets() {
				if s.ctx.Err() != nil {
					break // the test is over: no backlog to publish
				}
				s.publish(channel, pkt.Data)
			}
		}
		if s.ctx.Err() != nil {
			return
		}
		s.restartIfDead(p)
		select {
		case <-time.After(100 * time.Millisecond): // Grafana's first retry backoff
		case <-s.ctx.Done():
		}
	}
}

func (s *liveStandIn) publish(channel string, data []byte) {
	s.mu.Lock()
	n := s.published[channel]
	s.published[channel] = n + 1
	mutate := s.mutate
	s.mu.Unlock()
	if mutate != nil {
		data = mutate(channel, n, data)
	}
	if _, err := s.node.Publish(channel, data); err != nil {
		s.t.Errorf("publish %s: %v", channel, err)
	}
}

func (s *liveStandIn) currentPlugin() *Plugin {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.plugin
}

// restartIfDead starts a new plugin process when p, the current one, has
// exited, as Grafana does.
func (s *liveStandIn) restartIfDead(p *Plugin) {
	if !eventuallyExited(p) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.plugin != p {
		return // another channel's runner restarted it
	}
	np, err := Start(pluginBinary)
	if err != nil {
		s.t.Errorf("restart the plugin: %v", err)
		return
	}
	p.Stop()
	s.plugin = np
	s.restarts++
}

// eventuallyExited waits a little for go-plugin to notice a dead process.
func eventuallyExited(p *Plugin) bool {
	ok, _ := eventually(5*time.Second, func() (bool, string) { return p.Exited(), "" })
	return ok
}

// kill kills the plugin process, as a crash would.
func (s *liveStandIn) kill() {
	proc, err := os.FindProcess(s.currentPlugin().Pid())
	if err != nil {
		s.t.Fatal(err)
	}
	if err := proc.Kill(); err != nil {
		s.t.Fatal(err)
	}
}

// dropClient closes viewer connection i from the server side, asking it
// to reconnect, as Grafana does when it restarts or sheds a slow client.
func (s *liveStandIn) dropClient(i int) {
	s.mu.Lock()
	c := s.clients[i]
	s.mu.Unlock()
	c.Disconnect(centrifuge.DisconnectForceReconnect)
}

// counts returns the subscriptions so far and the messages published on
// the busiest channel.
func (s *liveStandIn) counts() (subs, published int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.published {
		published = max(published, n)
	}
	return s.subs, published
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v) // the client sees a short answer
}
