package main

import (
	"slices"
	"strings"
	"testing"
)

// The check reads what ships, all of it: the backend's packages for every
// platform (sleep_other.go too, though this machine builds sleep_linux.go)
// and src/ without its tests; not the tests, the integration host or the
// bench, which never ship.
func TestChecksTheShippedFiles(t *testing.T) {
	goFiles, err := shippedGo("../../../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pkg/main.go", "pkg/schedule/sleep_linux.go", "pkg/schedule/sleep_other.go", "pkg/plugin/stream.go"} {
		if !slices.Contains(goFiles, want) {
			t.Errorf("shipped Go files lack %s: %v", want, goFiles)
		}
	}
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") || !strings.HasPrefix(f, "pkg/") || strings.HasPrefix(f, "pkg/host/") || strings.HasPrefix(f, "pkg/internal/") {
			t.Errorf("%s is not shipped", f)
		}
	}
	tsFiles, err := shippedTS("../../../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"src/module.ts", "src/datasource.ts", "src/components/QueryEditor.tsx"} {
		if !slices.Contains(tsFiles, want) {
			t.Errorf("shipped TypeScript files lack %s: %v", want, tsFiles)
		}
	}
	for _, f := range tsFiles {
		if strings.Contains(f, ".test.") || strings.Contains(f, ".spec.") {
			t.Errorf("%s is a test", f)
		}
	}
}
