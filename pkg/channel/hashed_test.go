package channel

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/tickstream/streaming/pkg/models"
)

// longQuery is a valid query whose canonical path is longer than any
// channel id may be.
func longQuery(t *testing.T, seed float64) models.Query {
	t.Helper()
	f := models.DefaultFields()
	f.Seed, f.Series, f.Labels = seed, 2, "host=web-$seriesIndex, team="+strings.Repeat("x", 200)
	q, errs := f.Validate(models.WidestSettings())
	if errs != nil {
		t.Fatal(errs)
	}
	return q
}

func TestForQueryHashesOnlyWhatDoesNotFit(t *testing.T) {
	q := models.DefaultQuery()
	path := Format(q)
	exact := strings.Repeat("u", MaxIDLength-len("ds//")-len(path))
	if s := ForQuery(exact, q); s.Path != path || s.Definition != "" || len(s.ID) != MaxIDLength {
		t.Errorf("an id of exactly %d characters: %+v, want the plain path", MaxIDLength, s)
	}
	s := ForQuery(exact+"u", q)
	if s.Definition != path || s.Path != HashedPath(path) || s.ID != "ds/"+exact+"u/"+s.Path {
		t.Errorf("an id of %d characters: %+v, want the hashed path", MaxIDLength+1, s)
	}
	if !IsHashed(s.Path) || IsHashed(path) {
		t.Errorf("IsHashed(%q) or IsHashed(%q) is wrong", s.Path, path)
	}
	if i := strings.IndexFunc(s.Path, isForbidden); i >= 0 {
		t.Errorf("hashed path %q has a character Grafana refuses", s.Path)
	}
}

func TestParseHashed(t *testing.T) {
	q := longQuery(t, 1)
	s := ForQuery("tickstream", q)
	if s.Definition == "" {
		t.Fatal("the long query fits")
	}
	data := func(definition string) json.RawMessage {
		b, err := json.Marshal(SubscribeData{Definition: definition})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	got, e, err := ParseHashed("tickstream", s.Path, data(s.Definition))
	if err != nil || got != q || e != (Exemplars{}) {
		t.Fatalf("ParseHashed of its own definition = %+v, %+v, %v", got, e, err)
	}

	short := Format(models.DefaultQuery())
	tests := []struct {
		name, path string
		data       json.RawMessage
		other      bool // a refusal of the data, not an unknown path
	}{
		{"no data", s.Path, nil, false},
		{"null", s.Path, json.RawMessage(`null`), false},
		{"not an object", s.Path, json.RawMessage(`"x"`), false},
		{"no definition", s.Path, json.RawMessage(`{}`), false},
		{"a definition that is no path", s.Path, data("v1/t=0/lo=0/hi=100/seed=0"), false},
		{"a definition past the bound", s.Path, data(strings.Repeat("a", MaxDefinitionLength+1)), false},
		{"another stream", s.Path, data(Format(longQuery(t, 2))), true},
		{"a hash with padding", s.Path + "=", data(s.Definition), false},
		{"a truncated hash", s.Path[:len(s.Path)-1], data(s.Definition), false},
		{"the hash of a path that fits", HashedPath(short), data(short), false},
	}
	for _, tt := range tests {
		_, _, err := ParseHashed("tickstream", tt.path, tt.data)
		if err == nil {
			t.Errorf("%s: accepted", tt.name)
			continue
		}
		if errors.Is(err, ErrOtherStream) != tt.other {
			t.Errorf("%s: %v; want ErrOtherStream %v", tt.name, err, tt.other)
		}
	}
}

func TestTextSegments(t *testing.T) {
	for _, text := range []string{"a", "host=web-$seriesIndex, dc=eu", "São Paulo ✓", "${x}/=.+"} {
		f := models.DefaultFields()
		f.Labels = "k=" + text
		q, errs := f.Validate(models.WidestSettings())
		if errs != nil {
			t.Fatal(errs)
		}
		path := Format(q)
		if i := strings.IndexFunc(path, isForbidden); i >= 0 {
			t.Errorf("%q: path %q has a character Grafana refuses", text, path)
		}
		back, err := Parse(path)
		if err != nil || back != q {
			t.Errorf("%q: Parse(%q) = %+v, %v", text, path, back, err)
		}
	}
	base := "v1/t=1000/lo=0/hi=100/seed=0"
	if _, err := Parse(base + "/labels=az0x"); err != nil { // k=1, the control
		t.Fatalf("the control path: %v", err)
	}
	for _, path := range []string{
		base + "/labels=",              // empty: the default has no segment
		base + "/labels=az0xYg==",      // padding
		base + "/labels=az0xYh",        // non-zero trailing bits: a second spelling of "k=1b"
		base + "/labels=az0x+g",        // not base64url
		base + "/labels=_w",            // not UTF-8
		base + "/alias=YQ/labels=az0x", // out of order
		base + "/labels=IGs9MQ",        // " k=1": not the canonical labels text
	} {
		if _, err := Parse(path); err == nil {
			t.Errorf("Parse(%q) accepted it", path)
		}
	}
}

// FuzzParseHashed: whatever path and subscribe data arrive, ParseHashed
// never panics, and what it accepts is exactly the channel its name hashes:
// a definition that formats back to itself, too long to be its own path.
func FuzzParseHashed(f *testing.F) {
	long := strings.Repeat("x", 200)
	definition := "v1/t=1000/lo=0/hi=100/seed=0/series=2/labels=" + string(appendText(nil, "host=web-$seriesIndex, team="+long))
	f.Add(HashedPath(definition), `{"definition":"`+definition+`"}`)
	f.Add(HashedPath(definition), `{"definition":"v1/t=1000/lo=0/hi=100/seed=0"}`)
	f.Add("v1/sha256=abc", `{}`)
	f.Add(HashedPath("v1/t=1000/lo=0/hi=100/seed=0"), `{"definition":"v1/t=1000/lo=0/hi=100/seed=0"}`)
	f.Add(HashedPath(definition), `null`)
	f.Fuzz(func(t *testing.T, path, data string) {
		q, e, err := ParseHashed("tickstream", path, json.RawMessage(data))
		if err != nil {
			return
		}
		s := ForQuery("tickstream", q)
		if e != (Exemplars{}) {
			s = ForExemplars("tickstream", q, e)
		}
		if s.Path != path || HashedPath(s.Definition) != path {
			t.Fatalf("ParseHashed(%q, %q) = %+v, %+v, whose channel is %+v", path, data, q, e, s)
		}
	})
}
