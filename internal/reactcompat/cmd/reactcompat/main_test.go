package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, code string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(code), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestCheckReadsModuleAndChunks(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "module.js", `define(["react"],function(e){return e.createElement("div")})`)
	write(t, dir, "chunks/12.js", `e.defaultProps={size:"md"}`)
	write(t, dir, "module.js.map", `{"sourcesContent":["X.defaultProps={}"]}`)
	findings, files, err := check(dir)
	if err != nil {
		t.Fatal(err)
	}
	if files != 2 {
		t.Errorf("read %d files, want module.js and the chunk", files)
	}
	if len(findings) != 1 || !strings.HasSuffix(findings[0].File, filepath.Join("chunks", "12.js")) || findings[0].Rule.Name != "react-19-prop-types" {
		t.Errorf("got %v, want react-19-prop-types in chunks/12.js only", findings)
	}
}

func TestCheckWithoutModuleJs(t *testing.T) {
	_, _, err := check(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "npm run build") {
		t.Errorf("got %v, want an error saying to build", err)
	}
}
