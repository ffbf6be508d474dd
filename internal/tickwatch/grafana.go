package tickwatch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// PluginID is Tickstream's plugin id, the type of its data sources.
const PluginID = "tickstream-streaming-datasource"

// grafana is one Grafana instance as tickwatch's viewers reach it: its
// HTTP API with the credentials of -token or -user/-password, and the
// prefix its Live channel ids carry.
type grafana struct {
	base   *url.URL
	client *http.Client
	jar    http.CookieJar // the session cookie after a log-in
	header http.Header    // Authorization for a token
	// prefix goes before ds/<uid>/<path> in a channel id: the namespace
	// where the frontend settings say liveNamespaced (Grafana 12.4+),
	// else the org id.
	prefix string
}

// dial logs in to the Grafana at raw (when user is set) and reads what a
// browser reads before it subscribes. Its errors say what to fix.
func dial(ctx context.Context, raw, token, user, password string) (*grafana, error) {
	base, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, usageErrorf("-url %q is not a Grafana address such as http://localhost:3000", raw)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	g := &grafana{base: base, jar: jar, header: http.Header{},
		client: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	if token != "" {
		g.header.Set("Authorization", "Bearer "+token)
	}
	if user != "" {
		var out json.RawMessage
		status, err := g.do(ctx, http.MethodPost, "/login", map[string]string{"user": user, "password": password}, &out)
		switch {
		case err != nil:
			return nil, err
		case status == http.StatusUnauthorized:
			return nil, usageErrorf("%s refused the log-in of user %q (401): check -user and -password", base, user)
		case status != http.StatusOK:
			return nil, usageErrorf("%s answered the log-in with status %d: is it a Grafana, and is its login form enabled? Else use -token with a service account token", base, status)
		}
	}
	var settings struct {
		LiveEnabled    *bool  `json:"liveEnabled"`
		LiveNamespaced bool   `json:"liveNamespaced"`
		Namespace      string `json:"namespace"`
	}
	if err := g.get(ctx, "/api/frontend/settings", &settings); err != nil {
		return nil, err
	}
	if settings.LiveEnabled != nil && !*settings.LiveEnabled {
		return nil, usageErrorf("Grafana Live is disabled on %s: set [live] max_connections above 0 (enough for the viewers) and restart it", base)
	}
	if settings.LiveNamespaced && settings.Namespace != "" {
		g.prefix = settings.Namespace
	} else {
		var org struct {
			ID int64 `json:"id"`
		}
		if err := g.get(ctx, "/api/org", &org); err != nil {
			return nil, err
		}
		g.prefix = strconv.FormatInt(org.ID, 10)
	}
	return g, nil
}

// checkDataSource makes sure uid is a Tickstream data source, when the
// credentials may read it (a viewer's may not: then the queries' answers
// tell).
func (g *grafana) checkDataSource(ctx context.Context, uid string) error {
	var ds struct {
		Type string `json:"type"`
	}
	status, err := g.do(ctx, http.MethodGet, "/api/datasources/uid/"+url.PathEscape(uid), nil, &ds)
	switch {
	case err != nil:
		return err
	case status == http.StatusNotFound:
		return usageErrorf("%s has no data source with uid %q: give -datasource the uid of a Tickstream data source (its settings page's URL ends with it)", g.base, uid)
	case status == http.StatusOK && ds.Type != PluginID:
		return usageErrorf("data source %q on %s is of type %q, not Tickstream (%s): give -datasource the uid of a Tickstream data source", uid, g.base, ds.Type, PluginID)
	}
	return nil
}

// get GETs path into out, turning every status but 200 into an error
// that says what to fix.
func (g *grafana) get(ctx context.Context, path string, out any) error {
	status, err := g.do(ctx, http.MethodGet, path, nil, out)
	if err != nil {
		return err
	}
	return g.statusError(path, status)
}

func (g *grafana) statusError(path string, status int) error {
	switch status {
	case http.StatusOK:
		return nil
	case http.StatusUnauthorized:
		return usageErrorf("%s%s: 401 Unauthorized: give -token a valid service account token, or -user and -password of a Grafana user", g.base, path)
	case http.StatusForbidden:
		return usageErrorf("%s%s: 403 Forbidden: the user or service account needs at least the Viewer role in the organization", g.base, path)
	default:
		return usageErrorf("%s%s: status %d: is %s a Grafana server?", g.base, path, status, g.base)
	}
}

// do sends a request with the instance's credentials and decodes a JSON
// answer into out when the status is 200. Errors are connection errors.
func (g *grafana) do(ctx context.Context, method, path string, body, out any) (int, error) {
	status, b, err := g.send(ctx, method, path, body)
	if err != nil || status != http.StatusOK || out == nil {
		return status, err
	}
	return status, g.decode(path, b, out)
}

// decode reads Grafana's JSON answer to path.
func (g *grafana) decode(path string, b []byte, out any) error {
	if err := json.Unmarshal(b, out); err != nil {
		return usageErrorf("%s%s: the answer is not the JSON Grafana sends (%v): is %s a Grafana server?", g.base, path, err, g.base)
	}
	return nil
}

// send sends a request with the instance's credentials and returns the
// answer's status and body. Errors are connection errors.
func (g *grafana) send(ctx context.Context, method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, g.base.String()+path, rd)
	if err != nil {
		return 0, nil, err
	}
	for k, v := range g.header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := g.client.Do(req)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return 0, nil, err
		}
		return 0, nil, usageErrorf("cannot reach %s: %v: check -url and that Grafana runs", g.base, err)
	}
	defer func() { _ = resp.Body.Close() }() // a read error shows up below
	b, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return 0, nil, fmt.Errorf("%s%s: reading the answer: %w", g.base, path, err)
	}
	return resp.StatusCode, b, nil
}

// liveURL is the address of the instance's Live websocket.
func (g *grafana) liveURL() string {
	u := *g.base
	if u.Scheme == "https" {
		u.Scheme = "wss"
	} else {
		u.Scheme = "ws"
	}
	u.Path += "/api/live/ws"
	return u.String()
}
