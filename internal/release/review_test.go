package release

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"
)

// testPNG is a real PNG of w×h pixels.
func testPNG(w, h int) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// withJSON returns testPluginJSON with old replaced by new, failing the
// test when old is not there (so that a case cannot silently test nothing).
func withJSON(t *testing.T, old, new string) []byte {
	t.Helper()
	if !strings.Contains(testPluginJSON, old) {
		t.Fatalf("testPluginJSON has no %q", old)
	}
	return []byte(strings.Replace(testPluginJSON, old, new, 1))
}

func TestReviewMetadata(t *testing.T) {
	cases := []struct {
		name     string
		old, new string
		want     []string
	}{
		{"the release's plugin.json passes", "", "", nil},
		{"no dependencies", `,
  "dependencies": {"grafanaDependency": ">=12.3.0", "plugins": []}`, "", []string{
			"plugin.json: dependencies is missing; the catalog's schema requires type, name, id, info and dependencies",
		}},
		{"no name", `"name": "Tickstream",`, "", []string{
			"plugin.json: name is missing; the catalog's schema requires type, name, id, info and dependencies",
		}},
		{"an empty name", `"name": "Tickstream"`, `"name": " "`, []string{
			"plugin.json: name is empty; it is the plugin's name in Grafana and the catalog",
		}},
		{"a number as type", `"type": "datasource"`, `"type": 1`, []string{
			"plugin.json: type must be a string; got a number",
		}},
		{"an unknown type", `"type": "datasource"`, `"type": "source"`, []string{
			`plugin.json: type "source" is not one of app, datasource, panel, renderer, secretsmanager, transformer`,
		}},
		{"an id against the naming rules", `"id": "tickstream-streaming-datasource"`, `"id": "Tickstream_DS"`, []string{
			`plugin.json: id "Tickstream_DS" does not follow the catalog's naming, <organization>-<name>-<type> in lower-case letters and digits (e.g. myorg-example-datasource)`,
		}},
		{"an id of another type", `"id": "tickstream-streaming-datasource"`, `"id": "tickstream-streaming-panel"`, []string{
			`plugin.json: id "tickstream-streaming-panel" must end with -datasource, the plugin's type`,
		}},
		{"backend as a string", `"backend": true`, `"backend": "true"`, []string{
			"plugin.json: backend must be true or false; got a string",
		}},
		{"executable as a number", `"executable": "gpx_streaming"`, `"executable": 7`, []string{
			"plugin.json: executable must be a string; got a number",
		}},
		{"info as an array", `"info": {`, `"info": [], "x": {`, []string{
			"plugin.json: info must be an object; got an array",
		}},
		{"no keywords", `"keywords": ["streaming"],`, "", []string{
			"plugin.json: info.keywords is missing; the catalog's schema requires info.logos, info.version, info.updated and info.keywords",
		}},
		{"empty keywords", `"keywords": ["streaming"]`, `"keywords": []`, []string{
			"plugin.json: info.keywords is empty; list at least one word the catalog's search should find the plugin by",
		}},
		{"a keyword that is not a string", `"keywords": ["streaming"]`, `"keywords": ["streaming", null]`, []string{
			"plugin.json: info.keywords[1] must be a string; got null",
		}},
		{"a version that is not semver", `"version": "1.2.3"`, `"version": "1.2"`, []string{
			`plugin.json: info.version "1.2" is not a semantic version such as 1.2.3 (https://semver.org); set package.json's version`,
		}},
		{"a pre-release version", `"version": "1.2.3"`, `"version": "1.2.3-beta.1"`, nil},
		{"a relative link", `"url": "https://github.com/tickstream/streaming"`, `"url": "docs/index.md"`, []string{
			`plugin.json: info.links[0].url "docs/index.md" is not an absolute http(s) URL; the catalog links to it as it is`,
		}},
		{"a link as a string", `"links": [{"name": "Source code", "url": "https://github.com/tickstream/streaming"}]`, `"links": ["https://x.org"]`, []string{
			"plugin.json: info.links[0] must be an object with name and url; got a string",
		}},
		{"an author url without a scheme", `"keywords"`, `"author": {"name": "T", "url": "github.com/tickstream"}, "keywords"`, []string{
			`plugin.json: info.author.url "github.com/tickstream" is not an absolute http(s) URL; the catalog links to it as it is`,
		}},
		{"no small logo", `"small": "img/logo.svg", `, "", []string{
			"plugin.json: info.logos.small is missing; give the path of the logo in the archive, e.g. img/logo.svg",
		}},
		{"a screenshot without a path", `"path": "img/screenshots/editor.png"`, `"path": ""`, []string{
			`plugin.json: info.screenshots[0] ("Query editor") has no path; give the image's path in the archive, e.g. img/screenshots/editor.png`,
		}},
		{"no grafanaDependency", `"grafanaDependency": ">=12.3.0", `, "", []string{
			`plugin.json: dependencies.grafanaDependency is missing; set the Grafana versions the plugin runs on, e.g. ">=12.3.0"`,
		}},
		{"a grafanaDependency that is no range", `">=12.3.0"`, `"twelve"`, []string{
			`plugin.json: dependencies.grafanaDependency "twelve" is not a version range the catalog accepts; write e.g. ">=12.3.0" or ">=12.3.0 <14.0.0"`,
		}},
		{"a bounded grafanaDependency", `">=12.3.0"`, `">=12.3.0 <14.0.0"`, nil},
		{"a plugin dependency without a version", `"plugins": []`, `"plugins": [{"id": "grafana-clock-panel", "name": "Clock", "type": "panel"}]`, []string{
			"plugin.json: dependencies.plugins[0] has no version; each required plugin needs id, name, type and version",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := []byte(testPluginJSON)
			if tc.old != "" {
				body = withJSON(t, tc.old, tc.new)
			}
			got := reviewMetadata(body)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("reviewMetadata:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
	if got := reviewMetadata([]byte(`[1]`)); len(got) != 1 || got[0] != "plugin.json must be a JSON object; got an array" {
		t.Errorf("an array: %q", got)
	}
}

func TestReviewImagePath(t *testing.T) {
	cases := map[string]string{
		"img/logo.svg":                 "",
		"https://example.com/logo.svg": `plugin.json: info.logos.small "https://example.com/logo.svg" must be a path inside the archive, relative to plugin.json (e.g. img/logo.svg), not a URL`,
		"./img/logo.svg":               `plugin.json: info.logos.small "./img/logo.svg" must not start with '.' or '/'; write it relative to plugin.json, e.g. img/logo.svg`,
		"/img/logo.svg":                `plugin.json: info.logos.small "/img/logo.svg" must not start with '.' or '/'; write it relative to plugin.json, e.g. img/logo.svg`,
	}
	for p, want := range cases {
		if got := reviewImagePath("info.logos.small", p); got != want {
			t.Errorf("%s: %q\nwant %q", p, got, want)
		}
	}
}

func TestReviewImage(t *testing.T) {
	cases := []struct {
		name string
		body []byte
		want string
	}{
		{"img/a.png", testPNG(3, 2), ""},
		{"img/a.svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>`), ""},
		{"img/a.png", []byte("not a png"), "img/a.png is not a readable png image (image: unknown format); export it again"},
		{"img/a.jpg", testPNG(1, 1), "img/a.jpg holds a png image; give it the extension .png"},
		{"img/a.webp", []byte("RIFF"), `img/a.webp: the catalog shows SVG, PNG, JPEG or GIF images; got a ".webp" file`},
		{"img/a.svg", []byte("<svg><g></svg>"), "img/a.svg is not a well-formed SVG image: XML syntax error on line 1: element <g> closed by </svg>"},
		{"img/a.svg", []byte(`<html><body/></html>`), `img/a.svg is not an SVG image: its root element is "html", not <svg>`},
		{"img/a.svg", []byte(`<svg><script>alert(1)</script></svg>`), "img/a.svg contains <script>: the catalog refuses SVG images with scripts or embedded HTML; remove it"},
		{"img/a.svg", []byte(`<svg onload="alert(1)"/>`), "img/a.svg has an event handler (onload on <svg>): the catalog refuses SVG images with scripts; remove it"},
		{"img/a.svg", []byte(`<svg><a href="javascript:alert(1)"/></svg>`), "img/a.svg links to javascript: (href on <a>): the catalog refuses SVG images with scripts; remove it"},
	}
	for _, tc := range cases {
		if got := reviewImage(tc.name, tc.body); got != tc.want {
			t.Errorf("%s %.20q: %q\nwant %q", tc.name, tc.body, got, tc.want)
		}
	}
}

func TestReviewReadme(t *testing.T) {
	readme := "# T\n[docs](https://github.com/x/y/docs) [top](#top) [mail](mailto:a@b.c) " +
		"[query options](docs/query-options.md) ![shot](img/shot.png \"The editor\")\n"
	got := reviewReadme([]byte(readme))
	want := []string{
		"README.md: the link docs/query-options.md is relative; the plugin catalog shows README.md on grafana.com, where it leads nowhere: make it absolute (https://...)",
		"README.md: the link img/shot.png is relative; the plugin catalog shows README.md on grafana.com, where it leads nowhere: make it absolute (https://...)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("reviewReadme:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	got = reviewReadme([]byte("# Grafana Data Source Backend Plugin Template\n\nRun yarn install, then nodejs.\n"))
	want = []string{
		"README.md is still create-plugin's template; describe the plugin for its users",
		`README.md mentions "yarn", which the catalog takes for developer documentation; move that to another file (e.g. DEVELOPERS.md) and link to it`,
		`README.md mentions "nodejs", which the catalog takes for developer documentation; move that to another file (e.g. DEVELOPERS.md) and link to it`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("reviewReadme of the template:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestReviewSourceMap(t *testing.T) {
	cases := map[string]string{
		`{"version":3,"sources":["webpack://x/./module.ts"],"mappings":""}`: "",
		`{"version":3,"sources":[]}`:                                        "module.js.map is not a version 3 source map with sources (version 3, 0 sources); build with npm run build",
		`//# not json`:                                                      "module.js.map is not a source map (JSON): invalid character '/' looking for beginning of value; build with npm run build",
	}
	for body, want := range cases {
		if got := reviewSourceMap("module.js.map", []byte(body)); got != want {
			t.Errorf("%s: %q\nwant %q", body, got, want)
		}
	}
}

// clearsign wraps text as "npm run sign" writes MANIFEST.txt (the
// signature block is not checked offline).
func clearsign(text string) []byte {
	escaped := strings.ReplaceAll("\n"+text, "\n-", "\n- -")[1:]
	return []byte("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n" + escaped +
		"\n-----BEGIN PGP SIGNATURE-----\nVersion: OpenPGP.js\n\nwsFz\n-----END PGP SIGNATURE-----\n")
}

func TestReviewSignedManifest(t *testing.T) {
	s := spec(nil)
	sums := map[string]string{"plugin.json": sha256Hex([]byte("a")), "module.js": sha256Hex([]byte("b")), signedManifest: "ignored"}
	manifest := func(plugin, version string, files string) []byte {
		return clearsign(`{"manifestVersion":"2.0.0","signatureType":"community","plugin":"` + plugin + `","version":"` + version + `","files":{` + files + `}}`)
	}
	both := `"plugin.json":"` + sha256Hex([]byte("a")) + `","module.js":"` + sha256Hex([]byte("b")) + `"`
	cases := []struct {
		name string
		body []byte
		want []string
	}{
		{"every file listed with its sum", manifest(testID, testVersion, both), nil},
		{"another version", manifest(testID, "1.2.2", both), []string{
			"MANIFEST.txt signs tickstream-streaming-datasource@1.2.2; want tickstream-streaming-datasource@1.2.3: sign again after the build",
		}},
		{"a file added after signing", manifest(testID, testVersion, `"plugin.json":"`+sha256Hex([]byte("a"))+`"`), []string{
			"MANIFEST.txt does not list module.js: the plugin was changed after it was signed; sign again after the last build",
		}},
		{"a file changed after signing", manifest(testID, testVersion, `"plugin.json":"`+sha256Hex([]byte("a"))+`","module.js":"`+sha256Hex([]byte("c"))+`"`), []string{
			"MANIFEST.txt: module.js changed after it was signed; sign again after the last build",
		}},
		{"a file removed after signing", manifest(testID, testVersion, both+`,"img/gone.png":"00"`), []string{
			"MANIFEST.txt lists img/gone.png, which the archive does not hold; sign again after the last build",
		}},
		{"not a signed message", []byte(`{"plugin":"x"}`), []string{
			"MANIFEST.txt: not an OpenPGP cleartext-signed message (-----BEGIN PGP SIGNED MESSAGE----- … -----BEGIN PGP SIGNATURE-----); sign again with npm run sign",
		}},
		{"a dash-escaped line", clearsign("-"), []string{
			"MANIFEST.txt: the signed text is not the manifest JSON: invalid character ' ' in numeric literal; sign again with npm run sign",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := reviewSignedManifest(tc.body, s, sums)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("reviewSignedManifest:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// BenchmarkCheck measures the whole zip check, review rules included, on a
// packed release of the six platforms (fixture-sized files: the cost that
// grows with the real 30 MB executables is reading and hashing them).
func BenchmarkCheck(b *testing.B) {
	dist := writeDist(b, AllPlatforms)
	s := spec(AllPlatforms)
	res, err := Pack(dist, b.TempDir(), s, testTime)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := Check(res.Zip, s); err != nil {
			b.Fatal(err)
		}
	}
}
