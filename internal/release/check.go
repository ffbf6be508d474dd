package release

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Files every Tickstream archive holds below its top folder, besides the
// logos, the executables and the build manifest. module.js.map is required:
// plugin-validator's jsMap analyzer refuses a catalog submission without it,
// and it only maps the plugin's own published sources.
var requiredFiles = []string{"plugin.json", "module.js", "module.js.map", "README.md", "CHANGELOG.md", "LICENSE"}

// manifestName is the list of Go sources and their sha256 that mage writes
// beside the executables; signedManifest is what "npm run sign" adds.
const (
	manifestName   = "go_plugin_build_manifest"
	signedManifest = "MANIFEST.txt"
)

// chunk matches webpack chunks the frontend build may add beside module.js
// (each must come with its .map, like module.js).
var chunk = regexp.MustCompile(`^[A-Za-z0-9_-]+\.js$`)

var (
	dateRE     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	manifestRE = regexp.MustCompile(`^([0-9a-f]{64}):(\S+\.go)$`)
)

// templateVars are the placeholders webpack substitutes in plugin.json and
// README.md; one left in the archive means the build did not run on them.
var templateVars = []string{"%VERSION%", "%TODAY%", "%PLUGIN_ID%"}

// pluginJSON is the part of plugin.json the checks read.
type pluginJSON struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Backend    bool   `json:"backend"`
	Executable string `json:"executable"`
	DocsPath   string `json:"docsPath"`
	Includes   []struct {
		Type string `json:"type"`
		Name string `json:"name"`
		Path string `json:"path"`
	} `json:"includes"`
	Info struct {
		Version string `json:"version"`
		Updated string `json:"updated"`
		Logos   struct {
			Small string `json:"small"`
			Large string `json:"large"`
		} `json:"logos"`
		Screenshots []struct {
			Path string `json:"path"`
		} `json:"screenshots"`
	} `json:"info"`
}

// Check opens the archive at zipPath and returns every way it differs from
// spec (nil when it is right): its name, a single top folder named after the
// plugin id, safe entry names, the required files and nothing else, modes
// (executables 0755, other files 0644, folders 0755), plugin.json's id,
// version, date and executable, no template placeholders left, module.js built
// for this version, one executable per platform of spec and of that platform's
// binary format without debug information, the build manifest (against
// spec.SourceDir when set), the checksum files beside the zip, and the plugin
// catalog's review rules that need no network (review.go, review_files.go).
func Check(zipPath string, spec Spec) error {
	c := &checker{spec: spec}
	c.run(zipPath)
	return errors.Join(c.problems...)
}

type checker struct {
	spec     Spec
	problems []error
}

func (c *checker) fail(format string, args ...any) {
	c.problems = append(c.problems, fmt.Errorf(format, args...))
}

func (c *checker) run(zipPath string) {
	if got, want := filepath.Base(zipPath), c.spec.ArchiveName(); got != want {
		c.fail("the archive is named %s; want %s (<plugin id>-<version>.zip)", got, want)
	}
	c.checksums(zipPath)

	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		c.fail("cannot read %s as a zip: %v", zipPath, err)
		return
	}
	defer func() { _ = zr.Close() }()

	top := c.spec.PluginID + "/"
	files := map[string]*zip.File{} // below the top folder
	dirs := map[string]bool{}
	for _, f := range zr.File {
		name := f.Name
		if !validName(name) {
			c.fail("entry %q: not a clean relative path", name)
			continue
		}
		if !strings.HasPrefix(name, top) {
			first, _, _ := strings.Cut(name, "/")
			c.fail("entry %q is outside the top folder %s (the archive must hold exactly one folder, named after the plugin id; found %q)", name, top, first)
			continue
		}
		rel := strings.TrimPrefix(name, top)
		mode := f.Mode()
		if strings.HasSuffix(name, "/") {
			if !mode.IsDir() || mode.Perm() != ModeDir {
				c.fail("folder %s has mode %v; want %v", name, mode, ModeDir|fs.ModeDir)
			}
			dirs[rel] = true
			continue
		}
		if _, dup := files[rel]; dup {
			c.fail("entry %s appears twice", name)
			continue
		}
		files[rel] = f
		want := ModeFile
		if isExecutableName(rel, c.spec.Executable) {
			want = ModeExecutable
		}
		if !mode.IsRegular() || mode.Perm() != want {
			c.fail("%s has mode %v; want %v", name, mode, want)
		}
	}
	if !dirs[""] {
		c.fail("the top folder entry %s is missing", top)
	}

	pj := c.pluginJSON(files)
	allowed := map[string]bool{signedManifest: true}
	for _, name := range requiredFiles {
		allowed[name] = true
		if files[name] == nil {
			c.fail("%s%s is missing", top, name)
		}
	}
	if pj != nil {
		for _, p := range c.imagePaths(pj) {
			allowed[p] = true
			if files[p] == nil {
				c.fail("%s%s, named in plugin.json, is missing", top, p)
			} else {
				c.image(files[p])
			}
		}
	}
	if pj != nil {
		for _, inc := range pj.Includes {
			if inc.Type == "dashboard" {
				allowed[inc.Path] = true
				c.dashboard(inc.Name, inc.Path, files)
			}
		}
	}
	if pj != nil && pj.DocsPath != "" {
		c.docs(pj.DocsPath, files, allowed)
	}
	if f := files[signedManifest]; f != nil {
		c.signature(f, files)
	}
	if c.spec.Executable != "" {
		allowed[manifestName] = true
		if f := files[manifestName]; f == nil {
			c.fail("%s%s (written by mage) is missing", top, manifestName)
		} else {
			c.manifest(f)
		}
		for _, p := range c.spec.Platforms {
			name := p.Executable(c.spec.Executable)
			allowed[name] = true
			if f := files[name]; f == nil {
				c.fail("the %s executable %s%s is missing", p, top, name)
			} else {
				c.binary(f, p)
			}
		}
	}
	for rel := range files {
		if chunk.MatchString(rel) {
			allowed[rel] = true
			if files[rel+".map"] == nil {
				c.fail("%s%s has no source map %s.map", top, rel, rel)
			}
		}
		if strings.HasSuffix(rel, ".js.map") && files[strings.TrimSuffix(rel, ".map")] != nil {
			allowed[rel] = true
		}
	}
	var stray []string
	for rel := range files {
		if !allowed[rel] {
			stray = append(stray, top+rel)
		}
	}
	sort.Strings(stray)
	for _, s := range stray {
		if isExecutableName(strings.TrimPrefix(s, top), c.spec.Executable) {
			c.fail("unexpected executable %s: the release's platforms are %s", s, platformList(c.spec.Platforms))
		} else {
			c.fail("stray file %s: not part of the plugin; remove it from dist/, or, if the plugin needs it, add it to internal/release's allowed files", s)
		}
	}
	for rel := range dirs {
		if rel == "" {
			continue
		}
		used := false
		for f := range files {
			if strings.HasPrefix(f, rel) {
				used = true
				break
			}
		}
		if !used {
			c.fail("empty folder %s%s", top, rel)
		}
	}

	c.frontend(files)
}

// dashboard checks a dashboard plugin.json includes, which users import
// from the data source's Dashboards tab: it is in the zip, it is a
// dashboard, and it picks its data source through an import input of this
// plugin's type ("__inputs": a "DS_..." datasource input whose pluginId is
// the plugin's), so that Grafana points it at the data source the user
// imports it from; a fixed uid would name a data source that exists only on
// the machine it was exported from.
func (c *checker) dashboard(name, rel string, files map[string]*zip.File) {
	what := fmt.Sprintf("plugin.json includes the dashboard %q at %s", name, rel)
	if !validName(rel) || strings.HasSuffix(rel, "/") {
		c.fail("%s, which is not a clean relative path below the plugin's folder", what)
		return
	}
	f := files[rel]
	if f == nil {
		c.fail("%s, which is not in the zip: put the dashboard in src/%s", what, rel)
		return
	}
	body, err := readEntry(f)
	if err != nil {
		c.fail("%s: %v", rel, err)
		return
	}
	var dash map[string]any
	if err := json.Unmarshal(body, &dash); err != nil {
		c.fail("%s (included in plugin.json) is not valid JSON: %v", rel, err)
		return
	}
	if title, _ := dash["title"].(string); title == "" {
		c.fail("%s (included in plugin.json) has no title: is it a dashboard?", rel)
	}
	if _, ok := dash["panels"].([]any); !ok {
		c.fail("%s (included in plugin.json) has no panels: is it a dashboard?", rel)
	}
	refs := map[string]bool{}
	inputs, _ := dash["__inputs"].([]any)
	for _, in := range inputs {
		m, _ := in.(map[string]any)
		n, _ := m["name"].(string)
		if m["type"] == "datasource" && m["pluginId"] == c.spec.PluginID && strings.HasPrefix(n, "DS_") {
			refs["${"+n+"}"] = true
		}
	}
	if len(refs) == 0 {
		c.fail("%s (included in plugin.json) has no data source input: add to \"__inputs\" {\"name\": \"DS_...\", \"type\": \"datasource\", \"pluginId\": %q} and point the panels at \"${DS_...}\"", rel, c.spec.PluginID)
		return
	}
	var fixed []string
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if ds, ok := v["datasource"].(map[string]any); ok && ds["type"] == c.spec.PluginID {
				if uid, _ := ds["uid"].(string); !refs[uid] {
					fixed = append(fixed, fmt.Sprintf("%s uid %q", at, uid))
				}
			}
			for _, k := range sortedKeys(mapKeys(v)) {
				if k != "datasource" && k != "__inputs" {
					walk(at+"."+k, v[k])
				}
			}
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s[%d]", at, i), e)
			}
		}
	}
	walk("", dash)
	for _, f := range fixed {
		c.fail("%s (included in plugin.json): %s: point it at the data source input (%s), not a fixed uid", rel, strings.TrimPrefix(f, "."), strings.Join(sortedKeys(refs), ", "))
	}
}

func mapKeys(m map[string]any) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// validName accepts slash-separated relative names without "." or ".."
// elements, backslashes or empty elements (a folder's trailing slash aside).
func validName(name string) bool {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, `\`) {
		return false
	}
	trimmed := strings.TrimSuffix(name, "/")
	return path.Clean(trimmed) == trimmed && trimmed != "." && !strings.HasPrefix(trimmed, "../") && trimmed != ".."
}

func readEntry(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	return io.ReadAll(rc)
}

func (c *checker) pluginJSON(files map[string]*zip.File) *pluginJSON {
	f := files["plugin.json"]
	if f == nil {
		return nil
	}
	body, err := readEntry(f)
	if err != nil {
		c.fail("plugin.json: %v", err)
		return nil
	}
	problems := reviewMetadata(body)
	for _, p := range problems {
		c.fail("%s", p)
	}
	var pj pluginJSON
	if err := json.Unmarshal(body, &pj); err != nil {
		if len(problems) == 0 {
			c.fail("plugin.json does not fit the plugin's metadata: %v", err)
		}
		return nil
	}
	if pj.ID != c.spec.PluginID {
		c.fail("plugin.json: id is %q; want %q", pj.ID, c.spec.PluginID)
	}
	if pj.Info.Version != c.spec.Version {
		c.fail("plugin.json: info.version is %q; want %q (package.json's version)", pj.Info.Version, c.spec.Version)
	}
	if !dateRE.MatchString(pj.Info.Updated) {
		c.fail("plugin.json: info.updated is %q; want the build date as YYYY-MM-DD", pj.Info.Updated)
	} else if _, err := time.Parse("2006-01-02", pj.Info.Updated); err != nil {
		c.fail("plugin.json: info.updated %q is not a date", pj.Info.Updated)
	}
	if pj.Executable != c.spec.Executable {
		c.fail("plugin.json: executable is %q; want %q", pj.Executable, c.spec.Executable)
	}
	if c.spec.Executable != "" && !pj.Backend {
		c.fail("plugin.json: an executable needs \"backend\": true")
	}
	c.noPlaceholders("plugin.json", body)
	return &pj
}

// imagePaths returns the archive paths of plugin.json's logos and
// screenshots that are usable paths, reporting those that are not.
func (c *checker) imagePaths(pj *pluginJSON) []string {
	var out []string
	add := func(field, p string) {
		if problem := reviewImagePath(field, p); problem != "" {
			c.fail("%s", problem)
			return
		}
		out = append(out, p)
	}
	for i, p := range []string{pj.Info.Logos.Small, pj.Info.Logos.Large} {
		if p == "" {
			c.fail("plugin.json: info.logos needs both small and large")
			continue
		}
		add([]string{"info.logos.small", "info.logos.large"}[i], p)
	}
	for i, s := range pj.Info.Screenshots {
		if strings.TrimSpace(s.Path) != "" { // an empty one is reviewMetadata's
			add(fmt.Sprintf("info.screenshots[%d].path", i), s.Path)
		}
	}
	return out
}

// image checks that a logo or screenshot is an image the catalog shows.
func (c *checker) image(f *zip.File) {
	body, err := readEntry(f)
	if err != nil {
		c.fail("%s: %v", f.Name, err)
		return
	}
	if problem := reviewImage(f.Name, body); problem != "" {
		c.fail("%s", problem)
	}
}

// signature checks MANIFEST.txt, written by "npm run sign", against the
// archive's files.
func (c *checker) signature(f *zip.File, files map[string]*zip.File) {
	body, err := readEntry(f)
	if err != nil {
		c.fail("%s: %v", f.Name, err)
		return
	}
	sums := make(map[string]string, len(files))
	for rel, g := range files {
		b, err := readEntry(g)
		if err != nil {
			c.fail("%s: %v", g.Name, err)
			return
		}
		sums[rel] = sha256Hex(b)
	}
	for _, p := range reviewSignedManifest(body, c.spec, sums) {
		c.fail("%s", p)
	}
}

func (c *checker) noPlaceholders(name string, body []byte) {
	for _, v := range templateVars {
		if bytes.Contains(body, []byte(v)) {
			c.fail("%s still contains %s: the frontend build did not substitute it", name, v)
		}
	}
}

// frontend checks that module.js was built for this plugin and version (the
// create-plugin banner) with a real source map, and that README.md has no
// placeholders left and no links that break in the catalog.
func (c *checker) frontend(files map[string]*zip.File) {
	if f := files["README.md"]; f != nil {
		if body, err := readEntry(f); err != nil {
			c.fail("README.md: %v", err)
		} else {
			c.noPlaceholders("README.md", body)
			for _, p := range reviewReadme(body) {
				c.fail("%s", p)
			}
		}
	}
	if f := files["module.js.map"]; f != nil {
		if body, err := readEntry(f); err != nil {
			c.fail("module.js.map: %v", err)
		} else if problem := reviewSourceMap("module.js.map", body); problem != "" {
			c.fail("%s", problem)
		}
	}
	if f := files["module.js"]; f != nil {
		body, err := readEntry(f)
		switch {
		case err != nil:
			c.fail("module.js: %v", err)
		case !bytes.Contains(body, []byte("[create-plugin] plugin: "+c.spec.PluginID+"@"+c.spec.Version+" ")):
			c.fail("module.js was not built for %s@%s (its create-plugin banner says otherwise): run npm run build", c.spec.PluginID, c.spec.Version)
		}
	}
}

// binary checks that an executable is a binary of platform p's format and
// architecture, built without debug information (mage's production build).
func (c *checker) binary(f *zip.File, p Platform) {
	body, err := readEntry(f)
	if err != nil {
		c.fail("%s: %v", f.Name, err)
		return
	}
	r := bytes.NewReader(body)
	var dwarfErr error
	switch p.OS {
	case "linux":
		want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "arm": elf.EM_ARM}[p.Arch]
		ef, err := elf.NewFile(r)
		if err != nil {
			c.fail("%s is not an ELF executable: %v", f.Name, err)
			return
		}
		if ef.Machine != want || ef.Type != elf.ET_EXEC {
			c.fail("%s is an ELF %v %v; want an executable for %v", f.Name, ef.Type, ef.Machine, want)
		}
		_, dwarfErr = ef.DWARF()
	case "darwin":
		want := map[string]macho.Cpu{"amd64": macho.CpuAmd64, "arm64": macho.CpuArm64}[p.Arch]
		mf, err := macho.NewFile(r)
		if err != nil {
			c.fail("%s is not a Mach-O executable: %v", f.Name, err)
			return
		}
		if mf.Cpu != want || mf.Type != macho.TypeExec {
			c.fail("%s is a Mach-O %v for %v; want an executable for %v", f.Name, mf.Type, mf.Cpu, want)
		}
		_, dwarfErr = mf.DWARF()
	case "windows":
		pf, err := pe.NewFile(r)
		if err != nil {
			c.fail("%s is not a PE executable: %v", f.Name, err)
			return
		}
		if pf.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
			c.fail("%s is a PE for machine %#x; want amd64 (%#x)", f.Name, pf.Machine, pe.IMAGE_FILE_MACHINE_AMD64)
		}
		_, dwarfErr = pf.DWARF()
	}
	if dwarfErr == nil {
		c.fail("%s has debug information: release executables come from mage's production build (-w -s)", f.Name)
	}
}

// manifest checks go_plugin_build_manifest's format and, with
// spec.SourceDir, that it describes exactly those sources.
func (c *checker) manifest(f *zip.File) {
	body, err := readEntry(f)
	if err != nil {
		c.fail("%s: %v", manifestName, err)
		return
	}
	listed := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" {
			continue
		}
		m := manifestRE.FindStringSubmatch(line)
		if m == nil {
			c.fail("%s: line %q is not <sha256>:<file.go>", manifestName, line)
			continue
		}
		listed[m[2]] = m[1]
	}
	if len(listed) == 0 {
		c.fail("%s lists no Go sources", manifestName)
		return
	}
	if c.spec.SourceDir == "" {
		return
	}
	for name, sum := range listed {
		data, err := os.ReadFile(filepath.Join(c.spec.SourceDir, filepath.FromSlash(name)))
		if err != nil {
			c.fail("%s lists %s, which the sources do not have: %v", manifestName, name, err)
			continue
		}
		got := sha256.Sum256(data)
		if hex.EncodeToString(got[:]) != sum {
			c.fail("%s: %s changed since the build (rebuild with mage)", manifestName, name)
		}
	}
	err = filepath.WalkDir(c.spec.SourceDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != c.spec.SourceDir && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
			return fs.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			rel, err := filepath.Rel(c.spec.SourceDir, p)
			if err != nil {
				return err
			}
			if _, ok := listed[filepath.ToSlash(rel)]; !ok {
				c.fail("%s does not list %s (rebuild with mage)", manifestName, filepath.ToSlash(rel))
			}
		}
		return nil
	})
	if err != nil {
		c.fail("reading the sources in %s: %v", c.spec.SourceDir, err)
	}
}

// checksums checks <zip>.sha1 (the bare hex digest; "sha1sum" output is
// accepted too) and <zip>.sha256 (sha256sum's "<hex>  <name>").
func (c *checker) checksums(zipPath string) {
	sum1, sum256, err := digests(zipPath)
	if err != nil {
		c.fail("cannot hash %s: %v", zipPath, err)
		return
	}
	base := filepath.Base(zipPath)
	if body, err := os.ReadFile(zipPath + ".sha1"); err != nil {
		c.fail("%s.sha1: %v", base, err)
	} else if fields := strings.Fields(string(body)); len(fields) == 0 || fields[0] != sum1 {
		c.fail("%s.sha1 does not hold the zip's SHA-1 %s", base, sum1)
	}
	want := sum256 + "  " + base + "\n"
	if body, err := os.ReadFile(zipPath + ".sha256"); err != nil {
		c.fail("%s.sha256: %v", base, err)
	} else if string(body) != want {
		c.fail("%s.sha256 is %q; want %q", base, body, want)
	}
}

// docs checks the built catalog docs that plugin.json's docsPath names: the
// folder holds only pages, images and manifest.json (what the docs build
// copies), the manifest is the CLI's format and lists exactly the folder's
// pages, and, for a release (spec.SourceDir), it is the manifest of the
// sources' docs, so the zip does not ship stale docs.
func (c *checker) docs(docsPath string, files map[string]*zip.File, allowed map[string]bool) {
	if problem := docsPathProblem(docsPath); problem != "" {
		c.fail("%s", problem)
		return
	}
	top := c.spec.PluginID + "/"
	dir := docsPath + "/"
	rebuild := "build them into dist/ with 'go run ./internal/release/cmd/pluginzip docs' (scripts/package.sh does)"
	pages := map[string]bool{}
	for rel, f := range files {
		inner, ok := strings.CutPrefix(rel, dir)
		if !ok {
			continue
		}
		ext := strings.ToLower(path.Ext(inner))
		switch {
		case inner == docsManifestName:
		case ext == ".md":
			if !docsMetaFiles[strings.ToUpper(path.Base(inner))] {
				pages[inner] = false
			}
		case docsImageExt[ext]:
			c.image(f)
		default:
			continue // a stray file, reported with the others
		}
		allowed[rel] = true
	}
	f := files[dir+docsManifestName]
	if f == nil {
		c.fail("%s%s%s is missing: plugin.json's docsPath %q names the catalog's docs, but they were not built; %s", top, dir, docsManifestName, docsPath, rebuild)
		return
	}
	body, err := readEntry(f)
	if err != nil {
		c.fail("%s: %v", f.Name, err)
		return
	}
	var m DocsManifest
	if err := json.Unmarshal(body, &m); err != nil {
		c.fail("%s%s%s is not the docs manifest: %v; %s", top, dir, docsManifestName, err, rebuild)
		return
	}
	if m.Version != "1" || len(m.Pages) == 0 {
		c.fail("%s%s%s: want version \"1\" and at least one page; got version %q and %d pages; %s", top, dir, docsManifestName, m.Version, len(m.Pages), rebuild)
	}
	var walk func([]DocsPage)
	walk = func(ps []DocsPage) {
		for _, p := range ps {
			if p.Title == "" || p.Slug == "" {
				c.fail("%s%s%s: a page (file %q) has no title or no slug; %s", top, dir, docsManifestName, p.File, rebuild)
			}
			if p.File != "" {
				if _, ok := pages[p.File]; !ok {
					c.fail("%s%s%s lists %s, which is not in the zip; %s", top, dir, docsManifestName, p.File, rebuild)
				}
				pages[p.File] = true
			}
			walk(p.Children)
		}
	}
	walk(m.Pages)
	for _, name := range sortedKeys(pages) {
		if !pages[name] {
			c.fail("%s%s%s is not in %s, so the catalog does not show it; %s", top, dir, name, docsManifestName, rebuild)
		}
	}
	if c.spec.SourceDir == "" {
		return
	}
	want, err := BuildDocsManifest(filepath.Join(c.spec.SourceDir, filepath.FromSlash(docsPath)))
	if err != nil {
		c.fail("the sources' docs: %v", err)
	} else if !reflect.DeepEqual(m, want) {
		c.fail("%s%s%s is not the manifest of the sources' %s: the zip's docs are stale; %s", top, dir, docsManifestName, docsPath, rebuild)
	}
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
