package host

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// TestHealthDefaults: the "Save & test" button on a fresh data source says OK
// with a message.
func TestHealthDefaults(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	for _, jsonData := range []string{`{}`, ``, `null`} {
		resp, err := p.CheckHealth(ctxFor(t, 30*time.Second), dataSource(jsonData))
		if err != nil {
			t.Fatalf("jsonData %q: CheckHealth: %v", jsonData, err)
		}
		if resp.Status != pluginv2.CheckHealthResponse_OK {
			t.Errorf("jsonData %q: status %v (%q), want OK", jsonData, resp.Status, resp.Message)
		}
		if strings.TrimSpace(resp.Message) == "" {
			t.Errorf("jsonData %q: OK without a message", jsonData)
		}
	}
}

// TestHealthBadSettings: a bad setting is reported by "Save & test" with a
// message naming it, and never takes the plugin down.
func TestHealthBadSettings(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	cases := []struct {
		name, jsonData string
		want           []string // substrings of the message
	}{
		{"minTickInterval 0", `{"minTickInterval":0}`,
			[]string{"minTickInterval must be a whole number of milliseconds from 1 to 86400000; got 0"}},
		{"maxPointsPerSecond too big", `{"maxPointsPerSecond":10000001}`,
			[]string{"maxPointsPerSecond must be a whole number from 1 to 10000000; got 10000001"}},
		{"jsonData an array", `[1]`,
			[]string{"the data source settings (jsonData) must be a JSON object; got an array"}},
		{"jsonData a string", `"x"`,
			[]string{"the data source settings (jsonData) must be a JSON object; got a string"}},
		{"broken JSON", `{"minTickInterval":`, []string{"jsonData"}},
		{"broken JSON after a good field", `{"minTickInterval":10,}`, []string{"jsonData"}},
	}
	for _, c := range cases {
		resp, err := p.CheckHealth(ctxFor(t, 30*time.Second), dataSource(c.jsonData))
		if err != nil {
			t.Errorf("%s: CheckHealth failed as a call (Grafana shows a generic failure): %v", c.name, err)
			continue
		}
		if resp.Status != pluginv2.CheckHealthResponse_ERROR {
			t.Errorf("%s: status %v, want ERROR (message %q)", c.name, resp.Status, resp.Message)
		}
		for _, w := range c.want {
			if !strings.Contains(resp.Message, w) {
				t.Errorf("%s: message %q does not contain %q", c.name, resp.Message, w)
			}
		}
	}
	assertAlive(t, p)
}

// TestHealthSettingsVectors runs every settings vector of the shared file
// through CheckHealth.
func TestHealthSettingsVectors(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	for _, v := range loadVectors(t).Settings {
		resp, err := p.CheckHealth(ctxFor(t, 30*time.Second), dataSource(string(v.JSONData)))
		if err != nil {
			t.Errorf("%s: CheckHealth: %v", v.Name, err)
			continue
		}
		if v.Valid != nil {
			if resp.Status != pluginv2.CheckHealthResponse_OK {
				t.Errorf("%s: status %v (%q), want OK", v.Name, resp.Status, resp.Message)
			}
			continue
		}
		if resp.Status != pluginv2.CheckHealthResponse_ERROR {
			t.Errorf("%s: status %v (%q), want ERROR", v.Name, resp.Status, resp.Message)
		}
		for _, e := range v.Errors {
			if !strings.Contains(resp.Message, e.Message) {
				t.Errorf("%s: message %q does not contain %q", v.Name, resp.Message, e.Message)
			}
		}
	}
	assertAlive(t, p)
}

// TestHealthAfterSettingsChange: changing the settings (and so the updated
// time) of the same data source changes the verdict both ways.
func TestHealthAfterSettingsChange(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	steps := []struct {
		jsonData string
		want     pluginv2.CheckHealthResponse_HealthStatus
	}{
		{`{"minTickInterval":100}`, pluginv2.CheckHealthResponse_OK},
		{`{"minTickInterval":-1}`, pluginv2.CheckHealthResponse_ERROR},
		{`{"minTickInterval":100}`, pluginv2.CheckHealthResponse_OK},
	}
	for i, s := range steps {
		ds.JSONData = []byte(s.jsonData)
		ds.Updated = ds.Updated.Add(time.Second)
		resp, err := p.CheckHealth(ctxFor(t, 30*time.Second), ds)
		if err != nil {
			t.Fatalf("step %d: CheckHealth: %v", i, err)
		}
		if resp.Status != s.want {
			t.Errorf("step %d (%s): status %v (%q), want %v", i, s.jsonData, resp.Status, resp.Message, s.want)
		}
	}
}

// assertAlive checks that the plugin process still runs and answers.
func assertAlive(t *testing.T, p *Plugin) {
	t.Helper()
	if p.Exited() {
		t.Fatalf("the plugin process exited")
	}
	resp, err := p.CheckHealth(ctxFor(t, 30*time.Second), defaultDS())
	if err != nil {
		t.Fatalf("the plugin no longer answers: %v", err)
	}
	if resp.Status != pluginv2.CheckHealthResponse_OK {
		t.Fatalf("default settings no longer healthy: %v %q", resp.Status, resp.Message)
	}
}

// vectors is testdata/validation-vectors.json.
type vectors struct {
	Queries []struct {
		Name     string          `json:"name"`
		Settings json.RawMessage `json:"settings"`
		Query    json.RawMessage `json:"query"`
		Valid    *validQuery     `json:"valid"`
		// Faults are a valid case's failures and delays (faults_test.go
		// checks them through the plugin); nil for a case without.
		Faults json.RawMessage `json:"faults"`
		// Overlays are a valid case's events and exemplars; nil for a
		// case without.
		Overlays *struct {
			Exemplars int64 `json:"exemplars"`
		} `json:"overlays"`
		Path   string        `json:"path"`
		Errors []vectorError `json:"errors"`
	} `json:"queries"`
	Settings []struct {
		Name     string          `json:"name"`
		JSONData json.RawMessage `json:"jsonData"`
		Valid    json.RawMessage `json:"valid"`
		Errors   []vectorError   `json:"errors"`
	} `json:"settings"`
}

type validQuery struct {
	TickInterval int64   `json:"tickInterval"`
	LowerLimit   float64 `json:"lowerLimit"`
	UpperLimit   float64 `json:"upperLimit"`
	Seed         int64   `json:"seed"`
	Shape        string  `json:"shape"`
	Period       int64   `json:"period"`
	Noise        float64 `json:"noise"`
	Series       int64   `json:"series"`
	Labels       string  `json:"labels"`
	Alias        string  `json:"alias"`
	// The gaps fields (gaps_test.go).
	DropPercent    float64 `json:"dropPercent"`
	OutagePeriod   int64   `json:"outagePeriod"`
	OutageDuration int64   `json:"outageDuration"`
	Kind           string  `json:"kind"`
}

// seriesCount is the number of series of the query (1 when the vector
// predates the field).
func (v validQuery) seriesCount() int { return max(int(v.Series), 1) }

type vectorError struct {
	Field   string `json:"field"`
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

func loadVectors(t testing.TB) vectors {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := readFile(root, "testdata/validation-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("validation-vectors.json: %v", err)
	}
	if len(v.Queries) == 0 || len(v.Settings) == 0 {
		t.Fatal("validation-vectors.json: no vectors")
	}
	return v
}
