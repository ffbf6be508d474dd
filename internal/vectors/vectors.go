// Package vectors loads testdata/validation-vectors.json, the query and
// settings cases that the Go tests and the jest tests share, so that every
// Go package checks the same file the same way.
package vectors

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/tickstream/streaming/pkg/models"
)

// File is the whole vectors file.
type File struct {
	Defaults struct {
		Query    models.Query    `json:"query"`
		Settings models.Settings `json:"settings"`
		Faults   models.Faults   `json:"faults"`
		Overlays models.Overlays `json:"overlays"`
	} `json:"defaults"`
	Queries  []QueryCase    `json:"queries"`
	Settings []SettingsCase `json:"settings"`
}

// QueryCase is one query, run under Settings (jsonData; absent means the
// defaults), with either the normalized Valid query and its canonical Path
// or the exact Errors in order. A valid case may give its normalized
// Overlays too (absent: not checked).
type QueryCase struct {
	Name     string          `json:"name"`
	Settings json.RawMessage `json:"settings"`
	Query    json.RawMessage `json:"query"`
	Valid    *models.Query   `json:"valid"`
	// Faults are the valid query's faults (failPercent … queryDelayJitter),
	// decoded over models.DefaultFaults: a case without them expects the
	// defaults. Nil for an invalid query.
	Faults   *models.Faults      `json:"-"`
	Path     string              `json:"path"`
	Overlays *models.Overlays    `json:"overlays"`
	Errors   []models.FieldError `json:"errors"`
}

// SettingsCase is one jsonData with either its Valid settings or the exact
// Errors in order.
type SettingsCase struct {
	Name     string              `json:"name"`
	JSONData json.RawMessage     `json:"jsonData"`
	Valid    *models.Settings    `json:"valid"`
	Errors   []models.FieldError `json:"errors"`
}

// Load reads the vectors file from the repository's testdata folder, found
// relative to this source file so that any package's tests can call it.
func Load() (*File, error) {
	_, here, _, ok := runtime.Caller(0)
	if !ok {
		return nil, fmt.Errorf("vectors: cannot locate the source file to find testdata")
	}
	path := filepath.Join(filepath.Dir(here), "..", "..", "testdata", "validation-vectors.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("vectors: %w", err)
	}
	var f File
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("vectors: %s: %w", path, err)
	}
	if len(f.Queries) == 0 || len(f.Settings) == 0 {
		return nil, fmt.Errorf("vectors: %s holds no cases", path)
	}
	return &f, nil
}

// UnmarshalJSON reads a case whose valid query is decoded over
// models.DefaultQuery, so that a case written before a field existed
// expects that field's default instead of Go's zero value.
func (c *QueryCase) UnmarshalJSON(b []byte) error {
	type plain QueryCase // without this method
	var raw struct {
		plain
		Valid  json.RawMessage `json:"valid"`
		Faults json.RawMessage `json:"faults"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*c = QueryCase(raw.plain)
	if len(raw.Valid) > 0 && string(raw.Valid) != "null" {
		q := models.DefaultQuery()
		if err := json.Unmarshal(raw.Valid, &q); err != nil {
			return fmt.Errorf("case %q: valid: %w", c.Name, err)
		}
		c.Valid = &q
		f := models.DefaultFaults()
		if len(raw.Faults) > 0 {
			if err := json.Unmarshal(raw.Faults, &f); err != nil {
				return fmt.Errorf("case %q: faults: %w", c.Name, err)
			}
		}
		c.Faults = &f
	}
	return nil
}
