package models

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"
)

// mustQuery validates f's labels, alias and series under the defaults.
func mustQuery(t *testing.T, series float64, labels, alias string) Query {
	t.Helper()
	f := DefaultFields()
	f.Series, f.Labels, f.Alias = series, labels, alias
	q, errs := f.Validate(DefaultSettings())
	if errs != nil {
		t.Fatalf("series %v, labels %q, alias %q: %v", series, labels, alias, errs)
	}
	return q
}

func TestSeriesLabels(t *testing.T) {
	tests := []struct {
		series       float64
		labels       string
		i            int64
		want         map[string]string
		canonicalOut string
	}{
		{1, "", 1, nil, ""},
		{3, "", 2, map[string]string{"series": "2"}, ""},
		{1, "dc=eu", 1, map[string]string{"dc": "eu"}, "dc=eu"},
		{12, "host=web-$seriesIndex, dc=eu", 11, map[string]string{"host": "web-11", "dc": "eu"}, "dc=eu, host=web-$seriesIndex"},
		{2, "{ a = \"x$seriesIndex$seriesIndex\" }", 2, map[string]string{"a": "x22"}, "a=x$seriesIndex$seriesIndex"},
	}
	for _, tt := range tests {
		q := mustQuery(t, tt.series, tt.labels, "")
		if got := q.Names().Labels(tt.i); !maps.Equal(got, tt.want) {
			t.Errorf("%q series %d: %v, want %v", tt.labels, tt.i, got, tt.want)
		}
		if q.Labels != tt.canonicalOut {
			t.Errorf("%q: canonical %q, want %q", tt.labels, q.Labels, tt.canonicalOut)
		}
	}
}

// TestSeriesLabelsTellSeriesApart: with $seriesIndex in a value, no two
// series share a label set, whatever the digits (1 and 11, 2 and 22).
func TestSeriesLabelsTellSeriesApart(t *testing.T) {
	q := mustQuery(t, 100, "a=$seriesIndex$seriesIndex, b=1$seriesIndex", "")
	seen := map[string]int64{}
	for i := int64(1); i <= q.Series; i++ {
		key := q.Names().Labels(i)["a"] + "/" + q.Names().Labels(i)["b"]
		if j, dup := seen[key]; dup {
			t.Fatalf("series %d and %d share the labels %s", j, i, key)
		}
		seen[key] = i
	}
}

func TestDisplayName(t *testing.T) {
	tests := []struct {
		series        float64
		labels, alias string
		i             int64
		want          string
	}{
		{1, "", "", 1, ""},
		{1, "", "cpu", 1, "cpu"},
		{3, "", "s$seriesIndex ${series}", 3, "s3 3"},
		{2, "host=web-$seriesIndex", "cpu ${host}", 2, "cpu web-2"},
		{2, "host=h$seriesIndex", "${host", 1, "${host"},         // unclosed: kept as written
		{2, "host=h$seriesIndex", "$${host}}", 2, "$h2}"},        // only ${key} is replaced
		{2, "host=$seriesIndex", "${host}$seriesIndex", 1, "11"}, // a label value is not expanded twice
	}
	for _, tt := range tests {
		q := mustQuery(t, tt.series, tt.labels, tt.alias)
		if got := q.Names().DisplayName(tt.i); got != tt.want {
			t.Errorf("alias %q, series %d: %q, want %q", tt.alias, tt.i, got, tt.want)
		}
	}
}

func TestLabelValues(t *testing.T) {
	q := mustQuery(t, 5, "host=web-$seriesIndex, dc=eu", "")
	if got, want := q.LabelValues("host"), []string{"web-1", "web-2", "web-3", "web-4", "web-5"}; !slices.Equal(got, want) {
		t.Errorf("host: %q, want %q", got, want)
	}
	if got := q.LabelValues("dc"); !slices.Equal(got, []string{"eu"}) {
		t.Errorf("dc: %q, want one value", got)
	}
	key, errs := ParseLabelKey(json.RawMessage(`{"labelKey":"host"}`), q)
	if key != "host" || errs != nil {
		t.Errorf("ParseLabelKey(host) = %q, %v", key, errs)
	}
	for raw, want := range map[string]string{
		`{"labelKey":"region"}`: `labelKey must be one of the query's label keys, dc, host; got a string`,
		`{}`:                    `labelKey must be one of the query's label keys, dc, host; got a string`,
		`{"labelKey":3}`:        `labelKey must be one of the query's label keys, dc, host; got 3`,
	} {
		if _, errs := ParseLabelKey(json.RawMessage(raw), q); len(errs) != 1 || errs[0].Message != want || errs[0].Field != "labelKey" {
			t.Errorf("ParseLabelKey(%s) = %v, want %q", raw, errs, want)
		}
	}
	if _, errs := ParseLabelKey(json.RawMessage(`{"labelKey":"host"}`), mustQuery(t, 1, "", "")); len(errs) != 1 {
		t.Errorf("ParseLabelKey without labels = %v, want an error", errs)
	}
}

// FuzzLabels: any labels and alias text either gets errors naming labels
// or alias only, or gives canonical labels that read back to themselves
// and label sets that tell every series apart.
func FuzzLabels(f *testing.F) {
	for _, seed := range []struct {
		labels, alias string
		series        uint8
	}{
		{"host=web-$seriesIndex, dc=eu", "cpu ${host}", 3},
		{`{job="api", instance=a1}`, "", 1},
		{"a=$seriesIndex$seriesIndex", "${a}$seriesIndex", 12},
		{"x, =1, 1a=2, a=b, a=c", "${", 2},
		{"dc=eu", "${series}", 2},
		{" , ", "}${}", 0},
	} {
		f.Add(seed.labels, seed.alias, seed.series)
	}
	f.Fuzz(func(t *testing.T, labels, alias string, series uint8) {
		raw, err := json.Marshal(map[string]any{"labels": labels, "alias": alias, "series": int(series)%20 + 1})
		if err != nil {
			t.Skip() // not encodable: the browser cannot send it either
		}
		q, errs := ParseQuery(raw, DefaultSettings())
		for _, e := range errs {
			if e.Field != "labels" && e.Field != "alias" {
				t.Fatalf("labels %q, alias %q: error on %s: %s", labels, alias, e.Field, e.Message)
			}
		}
		if errs != nil {
			return
		}
		again := mustQuery(t, float64(q.Series), q.Labels, q.Alias)
		if again != q {
			t.Fatalf("canonical labels %q read back as %q", q.Labels, again.Labels)
		}
		names, seen := q.Names(), map[string]bool{}
		for i := int64(1); i <= q.Series; i++ {
			key := fmt.Sprint(names.Labels(i))
			if seen[key] {
				t.Fatalf("labels %q: two series carry %s", labels, key)
			}
			seen[key] = true
			names.DisplayName(i)
		}
	})
}
