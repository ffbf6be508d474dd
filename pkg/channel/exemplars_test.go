package channel

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tickstream/streaming/pkg/models"
)

const tempoURL = "https://tempo.example.com/trace/${__value.raw}"

// validQuery validates f under the widest settings.
func validQuery(t *testing.T, f models.Fields) models.Query {
	t.Helper()
	q, errs := f.Validate(models.WidestSettings())
	if errs != nil {
		t.Fatal(errs)
	}
	return q
}

func TestExemplarPathRoundTrip(t *testing.T) {
	plain := models.DefaultQuery()
	labelled := models.DefaultFields()
	labelled.Series, labelled.Labels, labelled.DropPercent, labelled.OutagePeriod, labelled.OutageDuration = 3, "host=web-$seriesIndex", 10, 60000, 20000
	cases := []struct {
		q    models.Query
		e    Exemplars
		want string
	}{
		{plain, Exemplars{Every: 12}, "v1/t=1000/lo=0/hi=100/seed=0/ex=12"},
		{plain, Exemplars{Every: 1}, "v1/t=1000/lo=0/hi=100/seed=0/ex=1"},
		{plain, Exemplars{Every: 5, URL: "${__value.raw}"}, "v1/t=1000/lo=0/hi=100/seed=0/ex=5/exurl=JHtfX3ZhbHVlLnJhd30"},
		{validQuery(t, labelled), Exemplars{Every: 60}, ""},
		{validQuery(t, labelled), Exemplars{Every: MaxExemplarEvery(1000), URL: tempoURL}, ""},
	}
	for _, c := range cases {
		path := FormatExemplars(c.q, c.e)
		if c.want != "" && path != c.want {
			t.Errorf("FormatExemplars = %q, want %q", path, c.want)
		}
		if !strings.HasPrefix(path, Format(c.q)+"/ex=") || !IsExemplars(path) || IsExemplars(Format(c.q)) {
			t.Errorf("%q is not the stream's path followed by the exemplars", path)
		}
		if i := strings.IndexFunc(path, isForbidden); i >= 0 {
			t.Errorf("%q has a character Grafana refuses", path)
		}
		q, e, err := parseExemplars(path)
		if err != nil || q != c.q || e != c.e {
			t.Errorf("parseExemplars(%q) = %+v, %+v, %v", path, q, e, err)
		}
		s := ForExemplars("tickstream", c.q, c.e)
		if len(s.ID) > MaxIDLength {
			t.Errorf("channel id %q is longer than %d", s.ID, MaxIDLength)
		}
		data, err := json.Marshal(SubscribeData{Definition: s.Definition})
		if err != nil {
			t.Fatal(err)
		}
		if s.Definition == "" {
			q, e, err = ParseAny(s.Path)
		} else {
			q, e, err = ParseHashed("tickstream", s.Path, data)
		}
		if err != nil || q != c.q || e != c.e {
			t.Errorf("the channel %+v reads as %+v, %+v, %v", s, q, e, err)
		}
	}
}

// A stream's path and an exemplar channel's name different things: the
// stream parsers refuse an exemplar path, and the stream's own path reads
// as no exemplars.
func TestExemplarPathIsNoStreamPath(t *testing.T) {
	q := models.DefaultQuery()
	path := FormatExemplars(q, Exemplars{Every: 10})
	if _, err := Parse(path); err == nil {
		t.Errorf("Parse(%q) accepted an exemplar path as a stream", path)
	}
	got, e, err := ParseAny(Format(q))
	if err != nil || got != q || e != (Exemplars{}) {
		t.Errorf("ParseAny of the stream's path = %+v, %+v, %v", got, e, err)
	}
	long := longQuery(t, 3)
	s := ForExemplars("tickstream", long, Exemplars{Every: 7, URL: tempoURL})
	if s.Definition == "" {
		t.Fatal("the long query's exemplar path fits")
	}
	data, _ := json.Marshal(SubscribeData{Definition: s.Definition})
	if _, e, err := ParseHashed("tickstream", s.Path, data); err != nil || e != (Exemplars{Every: 7, URL: tempoURL}) {
		t.Errorf("ParseHashed read an exemplar channel as %+v, %v; want its exemplars, not a stream", e, err)
	}
	if stream := ForQuery("tickstream", long); stream.Path == s.Path {
		t.Error("the stream and its exemplars share a hashed path")
	}
	// A definition that fits is its own path, never hashed.
	short := FormatExemplars(q, Exemplars{Every: 10})
	data, _ = json.Marshal(SubscribeData{Definition: short})
	if _, _, err := ParseHashed("tickstream", HashedPath(short), data); err == nil || !strings.Contains(err.Error(), "not canonical") {
		t.Errorf("a hashed path of a definition that fits: %v", err)
	}
}

func TestParseExemplarsRefuses(t *testing.T) {
	base := Format(models.DefaultQuery())
	state := models.DefaultFields()
	state.Kind, state.States = "state", "OK,CRIT"
	long := strings.Repeat("x", models.MaxExemplarURLLength)
	cases := map[string]string{
		base + "/ex=0":   "not a whole number",
		base + "/ex=-3":  "not a whole number",
		base + "/ex=01":  "not canonical",
		base + "/ex=+1":  "not canonical",
		base + "/ex=1.5": "not a whole number",
		base + "/ex=":    "not a whole number",
		base + "/ex=" + jsInt(MaxExemplarEvery(1000)+1): "not a whole number",
		base + "/ex=5/exurl=":                           "is empty",
		base + "/ex=5/exurl=aHR0cDovL3g":                "holding ${__value.raw}",
		base + "/ex=5/exurl=JHtfX3ZhbHVlLnJhd30=":       "base64url",
		base + "/ex=5/other=1":                          "not a whole number",
		base + "/ex=5/ex=5":                             "not a whole number",
		Format(validQuery(t, state)) + "/ex=5":          "kind state",
		"v1/t=0/lo=0/hi=100/seed=0/ex=5":                "does not describe a valid stream",
		"v1/t=1000/lo=0/hi=100/seed=0/series=1/ex=5":    "not canonical",
		"v1/ex=5": "segments",
	}
	for path, want := range cases {
		if _, _, err := parseExemplars(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseExemplars(%q) = %v, want an error with %q", path, err, want)
		}
	}
	url := "${__value.raw}" + long
	path := base + "/ex=5/exurl=" + string(appendText(nil, url))
	if _, _, err := parseExemplars(path); err == nil || !strings.Contains(err.Error(), "at most 2000") {
		t.Errorf("a %d-character exurl: %v", len(url), err)
	}
	if _, _, err := ParseExemplars(path); err == nil || !strings.Contains(err.Error(), "may exceed") {
		t.Errorf("ParseExemplars of a path over %d characters: %v", MaxIDLength, err)
	}
}

func jsInt(n int64) string {
	return string(appendNumber(nil, float64(n)))
}

// FuzzParseExemplars: whatever ParseAny accepts is canonical (it formats
// back to itself), valid, and an exemplar channel exactly when it has the
// segment.
func FuzzParseExemplars(f *testing.F) {
	for _, path := range []string{
		"v1/t=1000/lo=0/hi=100/seed=0/ex=12", "v1/t=1000/lo=0/hi=100/seed=0/ex=5/exurl=JHtfX3ZhbHVlLnJhd30",
		"v1/t=1000/lo=0/hi=100/seed=0/ex=05", "v1/t=1000/lo=0/hi=100/seed=0/ex=0", "v1/t=1000/lo=0/hi=100/seed=0/ex=5/exurl=",
		"v1/t=10/lo=0/hi=1/seed=0/series=3/labels=aG9zdD13ZWItJHNlcmllc0luZGV4/drop=20/outage=60000_20000/ex=3600000000000000",
		"v1/t=1000/lo=0/hi=100/seed=0/kind=state/states=A.B/ex=5", "v1/t=1000/lo=0/hi=100/seed=0/ex=5/ex=5", "/ex=1",
	} {
		f.Add(path)
	}
	f.Fuzz(func(t *testing.T, path string) {
		q, e, err := ParseAny(path)
		if err != nil {
			return
		}
		back := Format(q)
		if e.Every != 0 {
			back = FormatExemplars(q, e)
			if e.Every < 1 || e.Every > MaxExemplarEvery(q.TickInterval) || q.Kind != models.SignalNumber {
				t.Fatalf("ParseAny(%q) = %+v, %+v: out of bounds", path, q, e)
			}
		}
		if back != path || IsExemplars(path) != (e.Every != 0) {
			t.Fatalf("ParseAny(%q) = %+v, %+v, which formats as %q", path, q, e, back)
		}
		if errs := q.Check(models.WidestSettings()); errs != nil {
			t.Fatalf("ParseAny(%q) = %+v, invalid: %v", path, q, errs)
		}
	})
}
