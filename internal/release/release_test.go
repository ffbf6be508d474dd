package release

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	testID      = "tickstream-streaming-datasource"
	testVersion = "1.2.3"
	testExe     = "gpx_streaming"
)

var testTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// Minimal headers that debug/elf, debug/macho and debug/pe accept: enough for
// the format and architecture checks, without debug information.
func fakeELF(m elf.Machine) []byte {
	b := make([]byte, 64)
	copy(b, "\x7fELF")
	b[4], b[5], b[6] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)
	binary.LittleEndian.PutUint16(b[16:], uint16(elf.ET_EXEC))
	binary.LittleEndian.PutUint16(b[18:], uint16(m))
	binary.LittleEndian.PutUint32(b[20:], uint32(elf.EV_CURRENT))
	binary.LittleEndian.PutUint16(b[52:], 64) // e_ehsize
	return b
}

func fakeMachO(cpu macho.Cpu) []byte {
	b := make([]byte, 32)
	binary.LittleEndian.PutUint32(b[0:], macho.Magic64)
	binary.LittleEndian.PutUint32(b[4:], uint32(cpu))
	binary.LittleEndian.PutUint32(b[12:], uint32(macho.TypeExec))
	return b
}

func fakePE(machine uint16) []byte {
	b := make([]byte, 0x80+4+20) // debug/pe reads a 96-byte DOS header first
	copy(b, "MZ")
	binary.LittleEndian.PutUint32(b[0x3c:], 0x80)
	copy(b[0x80:], "PE\x00\x00")
	binary.LittleEndian.PutUint16(b[0x84:], machine)
	return b
}

func fakeBinary(p Platform) []byte {
	switch p {
	case Platform{"linux", "amd64"}:
		return fakeELF(elf.EM_X86_64)
	case Platform{"linux", "arm64"}:
		return fakeELF(elf.EM_AARCH64)
	case Platform{"linux", "arm"}:
		return fakeELF(elf.EM_ARM)
	case Platform{"darwin", "amd64"}:
		return fakeMachO(macho.CpuAmd64)
	case Platform{"darwin", "arm64"}:
		return fakeMachO(macho.CpuArm64)
	default:
		return fakePE(pe.IMAGE_FILE_MACHINE_AMD64)
	}
}

const testPluginJSON = `{
  "type": "datasource",
  "name": "Tickstream",
  "id": "tickstream-streaming-datasource",
  "backend": true,
  "executable": "gpx_streaming",
  "docsPath": "docs",
  "includes": [{"type": "dashboard", "name": "Demo", "path": "dashboards/demo.json"}],
  "info": {
    "keywords": ["streaming"],
    "logos": {"small": "img/logo.svg", "large": "img/logo.svg"},
    "links": [{"name": "Source code", "url": "https://github.com/tickstream/streaming"}],
    "screenshots": [{"name": "Query editor", "path": "img/screenshots/editor.png"}],
    "version": "1.2.3",
    "updated": "2026-01-02"
  },
  "dependencies": {"grafanaDependency": ">=12.3.0", "plugins": []}
}`

// testDashboard is the dashboard plugin.json includes, with its data
// source chosen at import.
const testDashboard = `{
  "__inputs": [{"name": "DS_TICKSTREAM", "type": "datasource", "pluginId": "tickstream-streaming-datasource"}],
  "uid": "demo", "title": "Demo",
  "panels": [{"title": "A", "datasource": {"type": "tickstream-streaming-datasource", "uid": "${DS_TICKSTREAM}"},
    "targets": [{"refId": "A", "datasource": {"type": "tickstream-streaming-datasource", "uid": "${DS_TICKSTREAM}"}}]}]
}`

// testDocs are the catalog docs (plugin.json's docsPath) of the fixture.
var testDocs = map[string]string{
	"index.md": "---\ntitle: Tickstream\ndescription: The landing page of the fixture's docs.\n---\n\n" +
		"See [the guide](guide.md).\n\n![The editor](img/editor.png)\n",
	"guide.md":       "---\ntitle: Guide\ndescription: A second page of the fixture's docs.\nsidebar_position: 2\n---\n\nText.\n",
	"img/editor.png": string(testPNG(2, 1)),
}

// writeDist writes a built dist/ as webpack, mage and the docs build leave
// it, with the executables of platforms, and returns its path.
func writeDist(t testing.TB, platforms []Platform) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dist")
	files := map[string]string{
		"plugin.json":                testPluginJSON,
		"module.js":                  "/* [create-plugin] version: 7.1.7 */\n/* [create-plugin] plugin: " + testID + "@" + testVersion + " */\ndefine([],()=>{});\n//# sourceMappingURL=module.js.map\n",
		"module.js.map":              `{"version":3,"sources":["webpack://tickstream-streaming-datasource/./module.ts"]}`,
		"README.md":                  "# Tickstream\n",
		"CHANGELOG.md":               "# Changelog\n",
		"LICENSE":                    "Apache-2.0\n",
		"img/logo.svg":               `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>`,
		"img/screenshots/editor.png": string(testPNG(2, 1)),
		"go_plugin_build_manifest":   strings.Repeat("ab", 32) + ":pkg/main.go\n",
		"dashboards/demo.json":       testDashboard,
	}
	for name, body := range files {
		writeFile(t, filepath.Join(dir, name), body, 0o644)
	}
	for name, body := range testDocs {
		writeFile(t, filepath.Join(dir, "docs", name), body, 0o644)
	}
	m, err := BuildDocsManifest(filepath.Join(dir, "docs"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := EncodeDocsManifest(m)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "docs", docsManifestName), string(body), 0o644)
	for _, p := range platforms {
		writeFile(t, filepath.Join(dir, p.Executable(testExe)), string(fakeBinary(p)), 0o755)
	}
	return dir
}

func writeFile(t testing.TB, p, body string, mode fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

// writeSources writes a source tree with two Go files and the docs, and
// points dist's go_plugin_build_manifest at the Go files, as mage does.
func writeSources(t *testing.T, dist string) string {
	t.Helper()
	src := t.TempDir()
	var manifest strings.Builder
	for _, name := range []string{"Magefile.go", "pkg/main.go"} {
		body := "package main // " + name + "\n"
		writeFile(t, filepath.Join(src, name), body, 0o644)
		sum := sha256.Sum256([]byte(body))
		fmt.Fprintf(&manifest, "%s:%s\n", hex.EncodeToString(sum[:]), name)
	}
	for name, body := range testDocs {
		writeFile(t, filepath.Join(src, "docs", name), body, 0o644)
	}
	writeFile(t, filepath.Join(src, "node_modules/x/y.go"), "package y\n", 0o644) // never listed, never required
	writeFile(t, filepath.Join(dist, manifestName), manifest.String(), 0o755)     // the SDK writes it 0755
	return src
}

func spec(platforms []Platform) Spec {
	return Spec{PluginID: testID, Version: testVersion, Executable: testExe, Platforms: platforms}
}

func pack(t *testing.T, dist string, s Spec) Result {
	t.Helper()
	res, err := Pack(dist, t.TempDir(), s, testTime)
	if err != nil {
		t.Fatalf("Pack: %v", err)
	}
	return res
}

func TestPackedReleaseHasTheLayout(t *testing.T) {
	dist := writeDist(t, AllPlatforms)
	s := spec(AllPlatforms)
	s.SourceDir = writeSources(t, dist)
	res := pack(t, dist, s)
	if err := Check(res.Zip, s); err != nil {
		t.Fatalf("Check of a packed release: %v", err)
	}
	if got, want := filepath.Base(res.Zip), "tickstream-streaming-datasource-1.2.3.zip"; got != want {
		t.Errorf("zip name %s; want %s", got, want)
	}
	lines, err := List(res.Zip)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"drwxr-xr-x tickstream-streaming-datasource/",
		"-rw-r--r-- tickstream-streaming-datasource/CHANGELOG.md",
		"-rw-r--r-- tickstream-streaming-datasource/LICENSE",
		"-rw-r--r-- tickstream-streaming-datasource/README.md",
		"drwxr-xr-x tickstream-streaming-datasource/dashboards/",
		"-rw-r--r-- tickstream-streaming-datasource/dashboards/demo.json",
		"drwxr-xr-x tickstream-streaming-datasource/docs/",
		"-rw-r--r-- tickstream-streaming-datasource/docs/guide.md",
		"drwxr-xr-x tickstream-streaming-datasource/docs/img/",
		"-rw-r--r-- tickstream-streaming-datasource/docs/img/editor.png",
		"-rw-r--r-- tickstream-streaming-datasource/docs/index.md",
		"-rw-r--r-- tickstream-streaming-datasource/docs/manifest.json",
		"-rw-r--r-- tickstream-streaming-datasource/go_plugin_build_manifest",
		"-rwxr-xr-x tickstream-streaming-datasource/gpx_streaming_darwin_amd64",
		"-rwxr-xr-x tickstream-streaming-datasource/gpx_streaming_darwin_arm64",
		"-rwxr-xr-x tickstream-streaming-datasource/gpx_streaming_linux_amd64",
		"-rwxr-xr-x tickstream-streaming-datasource/gpx_streaming_linux_arm",
		"-rwxr-xr-x tickstream-streaming-datasource/gpx_streaming_linux_arm64",
		"-rwxr-xr-x tickstream-streaming-datasource/gpx_streaming_windows_amd64.exe",
		"drwxr-xr-x tickstream-streaming-datasource/img/",
		"-rw-r--r-- tickstream-streaming-datasource/img/logo.svg",
		"drwxr-xr-x tickstream-streaming-datasource/img/screenshots/",
		"-rw-r--r-- tickstream-streaming-datasource/img/screenshots/editor.png",
		"-rw-r--r-- tickstream-streaming-datasource/module.js",
		"-rw-r--r-- tickstream-streaming-datasource/module.js.map",
		"-rw-r--r-- tickstream-streaming-datasource/plugin.json",
	}
	var got []string // mode and name; the sizes are the fixture's
	for _, l := range lines {
		f := strings.Fields(l)
		got = append(got, f[0]+" "+f[2])
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	sha1Body, _ := os.ReadFile(res.SHA1)
	if len(strings.TrimSpace(string(sha1Body))) != 40 || strings.Contains(string(sha1Body), " ") {
		t.Errorf(".sha1 holds %q; want the bare hex digest, as grafana/plugin-actions writes it", sha1Body)
	}

	// The same inputs give the same bytes.
	again := pack(t, dist, s)
	a, _ := os.ReadFile(res.Zip)
	b, _ := os.ReadFile(again.Zip)
	if !bytes.Equal(a, b) {
		t.Error("two packs of the same dist/ differ")
	}
}

func TestPackFromDistKeepsOnlyTheRequestedExecutables(t *testing.T) {
	dist := writeDist(t, AllPlatforms) // a full build left the other five behind
	linux := []Platform{{"linux", "amd64"}}
	res := pack(t, dist, spec(linux))
	if len(res.Skipped) != 5 {
		t.Errorf("skipped %v; want the five other executables", res.Skipped)
	}
	if err := Check(res.Zip, spec(linux)); err != nil {
		t.Fatalf("Check: %v", err)
	}
	// A zip with one platform is not a release.
	if err := Check(res.Zip, spec(AllPlatforms)); err == nil || !strings.Contains(err.Error(), "the darwin/arm64 executable") {
		t.Errorf("Check of a linux-only zip as a release: %v; want missing executables", err)
	}
}

func TestPackRefuses(t *testing.T) {
	t.Run("a missing executable", func(t *testing.T) {
		dist := writeDist(t, AllPlatforms[:5])
		_, err := Pack(dist, t.TempDir(), spec(AllPlatforms), testTime)
		if err == nil || !strings.Contains(err.Error(), "gpx_streaming_linux_arm is missing") {
			t.Errorf("Pack: %v", err)
		}
	})
	t.Run("a symbolic link", func(t *testing.T) {
		dist := writeDist(t, AllPlatforms)
		if err := os.Symlink("module.js", filepath.Join(dist, "extra.js")); err != nil {
			t.Fatal(err)
		}
		_, err := Pack(dist, t.TempDir(), spec(AllPlatforms), testTime)
		if err == nil || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("Pack: %v", err)
		}
	})
}

// rewrite copies the zip at src into a new zip named name in a new folder,
// passing each entry through edit (which may rename it, change its mode or
// body, or drop it by returning false), adds extra entries, and writes
// correct checksum files.
type entry struct {
	name string
	mode fs.FileMode
	body []byte
}

func rewrite(t *testing.T, src, name string, edit func(*entry) bool, extra ...entry) string {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = zr.Close() }()
	var entries []entry
	for _, f := range zr.File {
		body, err := readEntry(f)
		if err != nil {
			t.Fatal(err)
		}
		e := entry{f.Name, f.Mode(), body}
		if edit == nil || edit(&e) {
			entries = append(entries, e)
		}
	}
	entries = append(entries, extra...)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: testTime}
		h.SetMode(e.mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	s1, s256, err := digests(out)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, out+".sha1", s1+"\n", 0o644)
	writeFile(t, out+".sha256", s256+"  "+name+"\n", 0o644)
	return out
}

func TestCheckRefusesWrongLayouts(t *testing.T) {
	dist := writeDist(t, AllPlatforms)
	s := spec(AllPlatforms)
	s.SourceDir = writeSources(t, dist)
	good := pack(t, dist, s).Zip
	name := s.ArchiveName()
	top := testID + "/"
	replace := func(target, old, new string) func(*entry) bool {
		return func(e *entry) bool {
			if e.name == top+target {
				e.body = bytes.ReplaceAll(e.body, []byte(old), []byte(new))
			}
			return true
		}
	}
	mode := func(target string, m fs.FileMode) func(*entry) bool {
		return func(e *entry) bool {
			if e.name == top+target {
				e.mode = m
			}
			return true
		}
	}
	drop := func(target string) func(*entry) bool {
		return func(e *entry) bool { return e.name != top+target }
	}
	body := func(target string, b []byte) func(*entry) bool {
		return func(e *entry) bool {
			if e.name == top+target {
				e.body = b
			}
			return true
		}
	}
	file := func(rel, content string, m fs.FileMode) entry { return entry{top + rel, m, []byte(content)} }

	cases := []struct {
		name string
		zip  func() string
		want string
	}{
		{"the unchanged rewrite passes", func() string { return rewrite(t, good, name, nil) }, ""},
		{"wrong archive name", func() string { return rewrite(t, good, "tickstream.zip", nil) }, "want tickstream-streaming-datasource-1.2.3.zip"},
		{"dist as the top folder", func() string {
			return rewrite(t, good, name, func(e *entry) bool { e.name = "dist/" + strings.TrimPrefix(e.name, top); return true })
		}, `outside the top folder`},
		{"a second top-level entry", func() string {
			return rewrite(t, good, name, nil, entry{"README.md", 0o644, []byte("x")})
		}, `"README.md" is outside the top folder`},
		{"an unclean name", func() string {
			return rewrite(t, good, name, nil, file("../evil", "x", 0o644))
		}, "not a clean relative path"},
		{"a duplicate entry", func() string {
			return rewrite(t, good, name, nil, file("LICENSE", "x", 0o644))
		}, "appears twice"},
		{"no source map", func() string { return rewrite(t, good, name, drop("module.js.map")) }, "module.js.map is missing"},
		// The dashboards plugin.json includes (the Dashboards tab's).
		{"an included dashboard missing", func() string { return rewrite(t, good, name, drop("dashboards/demo.json")) },
			`plugin.json includes the dashboard "Demo" at dashboards/demo.json, which is not in the zip`},
		{"an included dashboard not JSON", func() string { return rewrite(t, good, name, body("dashboards/demo.json", []byte("{"))) },
			"dashboards/demo.json (included in plugin.json) is not valid JSON"},
		{"an included dashboard without a data source input", func() string {
			return rewrite(t, good, name, replace("dashboards/demo.json", `"pluginId": "tickstream-streaming-datasource"`, `"pluginId": "prometheus"`))
		}, `dashboards/demo.json (included in plugin.json) has no data source input: add to "__inputs"`},
		{"an included dashboard with a fixed uid", func() string {
			return rewrite(t, good, name, replace("dashboards/demo.json", `"targets": [{"refId": "A", "datasource": {"type": "tickstream-streaming-datasource", "uid": "${DS_TICKSTREAM}"}`, `"targets": [{"refId": "A", "datasource": {"type": "tickstream-streaming-datasource", "uid": "tickstream"}`))
		}, `dashboards/demo.json (included in plugin.json): panels[0].targets[0] uid "tickstream": point it at the data source input (${DS_TICKSTREAM}), not a fixed uid`},
		{"a dashboard plugin.json does not include", func() string {
			return rewrite(t, good, name, nil, file("dashboards/other.json", testDashboard, 0o644))
		}, "stray file tickstream-streaming-datasource/dashboards/other.json"},
		{"no CHANGELOG", func() string { return rewrite(t, good, name, drop("CHANGELOG.md")) }, "CHANGELOG.md is missing"},
		{"no logo", func() string { return rewrite(t, good, name, drop("img/logo.svg")) }, "img/logo.svg, named in plugin.json, is missing"},
		{"no build manifest", func() string { return rewrite(t, good, name, drop(manifestName)) }, "go_plugin_build_manifest (written by mage) is missing"},
		{"an executable 0644", func() string { return rewrite(t, good, name, mode("gpx_streaming_linux_amd64", 0o644)) }, "gpx_streaming_linux_amd64 has mode -rw-r--r--; want -rwxr-xr-x"},
		{"the Windows executable 0644", func() string {
			return rewrite(t, good, name, mode("gpx_streaming_windows_amd64.exe", 0o644))
		}, "gpx_streaming_windows_amd64.exe has mode -rw-r--r--"},
		{"plugin.json 0755", func() string { return rewrite(t, good, name, mode("plugin.json", 0o755)) }, "plugin.json has mode -rwxr-xr-x; want -rw-r--r--"},
		{"the manifest 0755 as the SDK writes it", func() string { return rewrite(t, good, name, mode(manifestName, 0o755)) }, "go_plugin_build_manifest has mode -rwxr-xr-x"},
		{"a folder 0700", func() string { return rewrite(t, good, name, mode("img/", fs.ModeDir|0o700)) }, "folder " + top + "img/ has mode"},
		{"an executable as a symbolic link", func() string {
			return rewrite(t, good, name, mode("gpx_streaming_linux_amd64", fs.ModeSymlink|0o755))
		}, "gpx_streaming_linux_amd64 has mode L"},
		{"a stray file", func() string { return rewrite(t, good, name, nil, file(".bra.toml", "x", 0o644)) }, "stray file " + top + ".bra.toml"},
		{"a stray json copied from src", func() string {
			return rewrite(t, good, name, nil, file("testdata.json", "{}", 0o644))
		}, "stray file " + top + "testdata.json"},
		{"an unreferenced image", func() string {
			return rewrite(t, good, name, nil, file("img/unused.png", "x", 0o644))
		}, "stray file " + top + "img/unused.png"},
		{"a chunk without its map", func() string { return rewrite(t, good, name, nil, file("123.js", "x", 0o644)) }, "123.js has no source map"},
		{"an executable of another platform", func() string {
			return rewrite(t, good, name, nil, file("gpx_streaming_freebsd_amd64", "x", 0o755))
		}, "unexpected executable " + top + "gpx_streaming_freebsd_amd64"},
		{"a missing executable", func() string { return rewrite(t, good, name, drop("gpx_streaming_darwin_arm64")) }, "the darwin/arm64 executable"},
		{"an amd64 binary named arm64", func() string {
			return rewrite(t, good, name, body("gpx_streaming_linux_arm64", fakeELF(elf.EM_X86_64)))
		}, "want an executable for EM_AARCH64"},
		{"a Linux binary named darwin", func() string {
			return rewrite(t, good, name, body("gpx_streaming_darwin_amd64", fakeELF(elf.EM_X86_64)))
		}, "gpx_streaming_darwin_amd64 is not a Mach-O executable"},
		{"a script instead of the Windows binary", func() string {
			return rewrite(t, good, name, body("gpx_streaming_windows_amd64.exe", []byte("#!/bin/sh\n")))
		}, "gpx_streaming_windows_amd64.exe is not a PE executable"},
		{"version not substituted", func() string { return rewrite(t, good, name, replace("plugin.json", `"1.2.3"`, `"%VERSION%"`)) }, `info.version is "%VERSION%"; want "1.2.3"`},
		{"another version", func() string { return rewrite(t, good, name, replace("plugin.json", `"1.2.3"`, `"1.2.4"`)) }, `info.version is "1.2.4"`},
		{"date not substituted", func() string {
			return rewrite(t, good, name, replace("plugin.json", `"2026-01-02"`, `"%TODAY%"`))
		}, "plugin.json still contains %TODAY%"},
		{"an impossible date", func() string {
			return rewrite(t, good, name, replace("plugin.json", `"2026-01-02"`, `"2026-13-02"`))
		}, `info.updated "2026-13-02" is not a date`},
		{"placeholder left in the README", func() string { return rewrite(t, good, name, replace("README.md", "Tickstream", "%PLUGIN_ID%")) }, "README.md still contains %PLUGIN_ID%"},
		{"another plugin id", func() string {
			return rewrite(t, good, name, replace("plugin.json", `"id": "tickstream-streaming-datasource"`, `"id": "other-datasource"`))
		}, `id is "other-datasource"`},
		{"another executable name", func() string {
			return rewrite(t, good, name, replace("plugin.json", `"executable": "gpx_streaming"`, `"executable": "gpx_other"`))
		}, `executable is "gpx_other"; want "gpx_streaming"`},
		{"backend false", func() string {
			return rewrite(t, good, name, replace("plugin.json", `"backend": true`, `"backend": false`))
		}, `needs "backend": true`},
		{"plugin.json broken", func() string { return rewrite(t, good, name, body("plugin.json", []byte("{"))) }, "plugin.json is not valid JSON"},
		{"module.js of another version", func() string { return rewrite(t, good, name, replace("module.js", "@1.2.3", "@1.2.2")) }, "module.js was not built for tickstream-streaming-datasource@1.2.3"},
		{"a source changed after the build", func() string {
			return rewrite(t, good, name, replace(manifestName, "pkg/main.go", "pkg/main.go\n"+strings.Repeat("0", 64)+":pkg/gone.go"))
		}, "lists pkg/gone.go, which the sources do not have"},
		{"a source missing from the manifest", func() string {
			return rewrite(t, good, name, func(e *entry) bool {
				if e.name == top+manifestName {
					e.body = e.body[:bytes.IndexByte(e.body, '\n')+1] // Magefile.go only
				}
				return true
			})
		}, "does not list pkg/main.go"},
		{"a garbled manifest", func() string { return rewrite(t, good, name, body(manifestName, []byte("nonsense\n"))) }, `line "nonsense" is not <sha256>:<file.go>`},
		// The catalog's review rules (review.go, review_files.go), on the archive.
		{"a listed screenshot missing", func() string { return rewrite(t, good, name, drop("img/screenshots/editor.png")) }, "img/screenshots/editor.png, named in plugin.json, is missing"},
		{"a screenshot that is no image", func() string {
			return rewrite(t, good, name, body("img/screenshots/editor.png", []byte("<html>")))
		}, "img/screenshots/editor.png is not a readable png image"},
		{"a logo with a script", func() string {
			return rewrite(t, good, name, body("img/logo.svg", []byte("<svg><script>alert(1)</script></svg>")))
		}, "img/logo.svg contains <script>"},
		{"a logo path from the root", func() string {
			return rewrite(t, good, name, replace("plugin.json", `"small": "img/logo.svg"`, `"small": "/img/logo.svg"`))
		}, `info.logos.small "/img/logo.svg" must not start with '.' or '/'`},
		{"no grafanaDependency", func() string {
			return rewrite(t, good, name, replace("plugin.json", `"grafanaDependency": ">=12.3.0", `, ""))
		}, "dependencies.grafanaDependency is missing"},
		{"an id the catalog refuses", func() string {
			return rewrite(t, good, name, replace("plugin.json", `"type": "datasource"`, `"type": "panel"`))
		}, `id "tickstream-streaming-datasource" must end with -panel`},
		{"a relative README link", func() string {
			return rewrite(t, good, name, replace("README.md", "Tickstream", "[Tickstream](docs/index.md)"))
		}, "README.md: the link docs/index.md is relative"},
		{"a source map without sources", func() string { return rewrite(t, good, name, body("module.js.map", []byte(`{"version":3}`))) }, "module.js.map is not a version 3 source map with sources"},
		// The catalog docs that plugin.json's docsPath names (docs.go).
		{"docs not built", func() string { return rewrite(t, good, name, drop("docs/manifest.json")) },
			top + "docs/manifest.json is missing: plugin.json's docsPath \"docs\" names the catalog's docs, but they were not built"},
		{"a stray file in the docs", func() string { return rewrite(t, good, name, nil, file("docs/notes.txt", "x", 0o644)) },
			"stray file " + top + "docs/notes.txt"},
		{"a page the manifest leaves out", func() string { return rewrite(t, good, name, nil, file("docs/extra.md", "x", 0o644)) },
			top + "docs/extra.md is not in manifest.json, so the catalog does not show it"},
		{"a manifest page missing", func() string { return rewrite(t, good, name, drop("docs/guide.md")) },
			"docs/manifest.json lists guide.md, which is not in the zip"},
		{"a garbled docs manifest", func() string { return rewrite(t, good, name, body("docs/manifest.json", []byte("{"))) },
			"docs/manifest.json is not the docs manifest"},
		{"docs older than the sources", func() string { return rewrite(t, good, name, replace("docs/manifest.json", `"Guide"`, `"Old guide"`)) },
			"docs/manifest.json is not the manifest of the sources' docs: the zip's docs are stale"},
		{"a docs image that is no image", func() string { return rewrite(t, good, name, body("docs/img/editor.png", []byte("<html>"))) },
			"docs/img/editor.png is not a readable png image"},
		{"a docsPath outside the plugin", func() string { return rewrite(t, good, name, replace("plugin.json", `"docs"`, `"../docs"`)) },
			`plugin.json: docsPath "../docs" must be a plain relative folder below the project`},
		{"docs without a docsPath", func() string { return rewrite(t, good, name, replace("plugin.json", `"docsPath": "docs",`, "")) },
			"stray file " + top + "docs/index.md"},
		{"a signature that misses files", func() string {
			manifest := clearsign(`{"plugin":"` + testID + `","version":"` + testVersion + `","files":{}}`)
			return rewrite(t, good, name, nil, file(signedManifest, string(manifest), 0o644))
		}, "MANIFEST.txt does not list plugin.json: the plugin was changed after it was signed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.zip(), s)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Check: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("Check passed; want an error containing %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("Check: %v\nwant an error containing %q", err, tc.want)
			}
		})
	}
}

func TestCheckRefusesWrongChecksums(t *testing.T) {
	dist := writeDist(t, AllPlatforms)
	s := spec(AllPlatforms)
	res := pack(t, dist, s)

	write := func(p, body string) { writeFile(t, p, body, 0o644) }
	orig1, _ := os.ReadFile(res.SHA1)
	orig256, _ := os.ReadFile(res.SHA256)

	write(res.SHA1, strings.Repeat("0", 40)+"\n")
	if err := Check(res.Zip, s); err == nil || !strings.Contains(err.Error(), ".sha1 does not hold") {
		t.Errorf("wrong sha1: %v", err)
	}
	write(res.SHA1, strings.TrimSpace(string(orig1))+"  "+filepath.Base(res.Zip)+"\n") // sha1sum's format is fine
	if err := Check(res.Zip, s); err != nil {
		t.Errorf("sha1sum format: %v", err)
	}
	write(res.SHA256, strings.Replace(string(orig256), "  ", " *", 1))
	if err := Check(res.Zip, s); err == nil || !strings.Contains(err.Error(), ".sha256 is") {
		t.Errorf("wrong sha256 line: %v", err)
	}
	if err := os.Remove(res.SHA256); err != nil {
		t.Fatal(err)
	}
	if err := Check(res.Zip, s); err == nil || !strings.Contains(err.Error(), ".sha256: open") {
		t.Errorf("no .sha256: %v", err)
	}
	write(res.SHA256, string(orig256))
	// A zip changed after its checksums were written.
	f, err := os.OpenFile(res.Zip, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write([]byte{0})
	_ = f.Close()
	if err := Check(res.Zip, s); err == nil || !strings.Contains(err.Error(), ".sha1 does not hold") {
		t.Errorf("changed zip: %v", err)
	}
}

func TestParsePlatforms(t *testing.T) {
	all, err := ParsePlatforms("all")
	if err != nil || len(all) != 6 {
		t.Fatalf("all: %v %v", all, err)
	}
	got, err := ParsePlatforms("linux/arm64,windows/amd64")
	if err != nil || len(got) != 2 || got[1].Executable("x") != "x_windows_amd64.exe" {
		t.Fatalf("list: %v %v", got, err)
	}
	for _, bad := range []string{"", "linux", "freebsd/amd64", "linux/amd64,linux/amd64"} {
		if _, err := ParsePlatforms(bad); err == nil {
			t.Errorf("ParsePlatforms(%q) accepted", bad)
		}
	}
}

func TestLoadSpecReadsTheSources(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "package.json"), `{"version": "2.0.0"}`, 0o644)
	writeFile(t, filepath.Join(root, "src/plugin.json"), `{"id": "a-b-datasource", "executable": "gpx_x", "info": {"version": "%VERSION%"}}`, 0o644)
	s, err := LoadSpec(root, AllPlatforms)
	if err != nil {
		t.Fatal(err)
	}
	if s.PluginID != "a-b-datasource" || s.Version != "2.0.0" || s.Executable != "gpx_x" || len(s.Platforms) != 6 {
		t.Errorf("LoadSpec: %+v", s)
	}
	if s.ArchiveName() != "a-b-datasource-2.0.0.zip" {
		t.Errorf("ArchiveName: %s", s.ArchiveName())
	}
}
