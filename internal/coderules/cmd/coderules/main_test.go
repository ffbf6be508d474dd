package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The check reads what the validator's semgrep reads: every Go file under
// pkg/ but *_test.go, imported or not and for any platform, plus src/
// without its tests; nothing outside pkg/ and src/.
func TestReadsEveryNonTestFileUnderPkgAndSrc(t *testing.T) {
	root := t.TempDir()
	for _, rel := range []string{
		"pkg/main.go", "pkg/main_test.go", "pkg/plugin/sleep_other.go", "pkg/testhelp/helper.go",
		"internal/host/host.go", "cmd/tool/main.go",
		"src/module.ts", "src/module.test.ts", "src/components/Editor.tsx", "src/components/Editor.spec.tsx", "src/img/logo.svg",
	} {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("package p\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gotGo, err := goFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"pkg/main.go", "pkg/plugin/sleep_other.go", "pkg/testhelp/helper.go"}; !reflect.DeepEqual(gotGo, want) {
		t.Errorf("Go files: got %v, want %v", gotGo, want)
	}
	gotTS, err := shippedTS(root)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"src/components/Editor.tsx", "src/module.ts"}; !reflect.DeepEqual(gotTS, want) {
		t.Errorf("TypeScript files: got %v, want %v", gotTS, want)
	}
}

// A test helper left in pkg/ is reported as the catalog would report it.
func TestFlagsATestHelperInPkg(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, "pkg", "host", "host.go")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	src := "package host\n\nimport \"os\"\n\nfunc Dir() string { d, _ := os.MkdirTemp(\"\", \"x\"); return d }\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	findings, _, err := check(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) != 1 || !strings.HasPrefix(findings[0].String(), "pkg/host/host.go:5: code-rules-access-file-system-with-os (error): os.MkdirTemp") {
		t.Errorf("got %v", findings)
	}
}

// The project's own tree: the backend's entry point and a file for
// another platform are read.
func TestReadsTheProject(t *testing.T) {
	files, err := goFiles("../../../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pkg/main.go", "pkg/schedule/sleep_other.go"} {
		found := false
		for _, f := range files {
			found = found || f == want
		}
		if !found {
			t.Errorf("%s is not read: %v", want, files)
		}
	}
}
