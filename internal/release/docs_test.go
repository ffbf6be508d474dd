package release

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// page is a docs page with frontmatter: title, description, position
// ("" leaves sidebar_position out) and body.
func page(title, pos, body string) string {
	fm := "---\ntitle: " + title + "\ndescription: A page about " + title + " for the tests.\n"
	if pos != "" {
		fm += "sidebar_position: " + pos + "\n"
	}
	return fm + "---\n\n" + body
}

// goodDocs is the smallest docs folder a data source passes with.
func goodDocs() map[string]string {
	return map[string]string{
		"index.md":           page("Home", "1", "Start with [Configuration](configuration.md).\n"),
		"query-editor.md":    page("Query editor", "2", "## Fields\n\nSee [the fix](troubleshooting.md#query-errors).\n"),
		"configuration.md":   page("Configuration", "3", "![The settings](img/settings.png)\n"),
		"troubleshooting.md": page("Troubleshooting", "4", "## Query errors\n\nBack to [fields](query-editor.md#fields).\n"),
		"img/settings.png":   "\x89PNG\r\n\x1a\n",
	}
}

func writeDocs(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestValidateDocs(t *testing.T) {
	if got := ValidateDocs(writeDocs(t, goodDocs()), "datasource"); len(got) != 0 {
		t.Fatalf("good docs: got problems\n%s", strings.Join(got, "\n"))
	}
	big := strings.Repeat("x", 301<<10)
	for _, tc := range []struct {
		name   string
		change func(map[string]string)
		want   string
	}{
		{"no landing page", func(f map[string]string) { delete(f, "index.md") },
			"docs: index.md, the landing page of the Documentation tab, is missing at the docs folder's root (root-index-exists)"},
		{"no query editor page", func(f map[string]string) { delete(f, "query-editor.md") },
			"docs: a datasource plugin's docs must have query-editor.md (or a query-editor/ folder with pages) at their root"},
		{"no frontmatter", func(f map[string]string) { f["alerting.md"] = "## Alerting\n" },
			"docs: alerting.md: the page must begin with a frontmatter block (---, then title: and description:, then ---) (frontmatter-block-exists)"},
		{"unclosed frontmatter", func(f map[string]string) { f["alerting.md"] = "---\ntitle: Alerting\n" },
			"docs: alerting.md: the frontmatter block has no closing --- line (frontmatter-block-exists)"},
		{"no description", func(f map[string]string) { f["alerting.md"] = "---\ntitle: Alerting\n---\nText\n" },
			"docs: alerting.md: the frontmatter needs a non-empty description (frontmatter-required-fields)"},
		{"a colon that YAML reads", func(f map[string]string) {
			f["alerting.md"] = "---\ntitle: Alerting: a rule\ndescription: A page about alerting for the tests.\n---\n"
		}, `docs: alerting.md: frontmatter title: "Alerting: a rule" holds ": " or " #", which YAML reads as syntax: put the value in double quotes (frontmatter-valid-yaml)`},
		{"quoted values are fine, a nested key is not", func(f map[string]string) {
			f["alerting.md"] = "---\ntitle: \"Alerting: a rule\"\ndescription: 'A page about alerting''s rules.'\n  nested: x\n---\n"
		}, `docs: alerting.md: frontmatter line 4 "  nested: x" is not a top-level "key: value" (the only YAML this check reads) (frontmatter-valid-yaml)`},
		{"position not a number", func(f map[string]string) { f["alerting.md"] = page("Alerting", "first", "") },
			`docs: alerting.md: sidebar_position "first" is not a number (frontmatter-field-types)`},
		{"shared position", func(f map[string]string) { f["alerting.md"] = page("Alerting", "4", "") },
			"docs: alerting.md and troubleshooting.md share sidebar_position 4: give each page of a folder its own (no-duplicate-sidebar-position)"},
		{"slug on the landing page", func(f map[string]string) {
			f["index.md"] = strings.Replace(f["index.md"], "---\n\n", "slug: home\n---\n\n", 1)
		}, "docs: index.md: the landing page may not set a slug; renaming it hides the Documentation tab (root-index-no-custom-slug)"},
		{"long title", func(f map[string]string) { f["alerting.md"] = page(strings.Repeat("A", 61), "9", "") },
			"docs: alerting.md: the title has 61 characters; at most 60 (search engines cut longer ones) (frontmatter-title-length)"},
		{"an h1", func(f map[string]string) { f["alerting.md"] = page("Alerting", "9", "# Alerting\n") },
			`docs: alerting.md:7: a line that begins with "# " is an h1 to the catalog, even in a code block: use ## or lower`},
		{"raw HTML", func(f map[string]string) {
			f["alerting.md"] = page("Alerting", "9", "A <b>bold</b> claim.\n")
		},
			"docs: alerting.md:7: <b> reads as the HTML tag <b>, even in a code span: write it in markdown, or write a placeholder without angle brackets (VERSION, {uid}) (no-raw-html)"},
		{"a script", func(f map[string]string) { f["alerting.md"] = page("Alerting", "9", "<script>alert(1)</script>\n") },
			"docs: alerting.md:7: <script>: scripts are not allowed (no-script-tags)"},
		{"a broken link", func(f map[string]string) { f["alerting.md"] = page("Alerting", "9", "See [soak](soak.md).\n") },
			"docs: alerting.md:7: the link soak.md leads to soak.md, which is not in the docs folder (internal-links-resolve)"},
		{"a link out of the docs", func(f map[string]string) {
			f["alerting.md"] = page("Alerting", "9", "See [soak](../developers/soak.md).\n")
		},
			"docs: alerting.md:7: the link ../developers/soak.md climbs with ../, which the catalog refuses: link to the page's absolute URL instead, or move the pages into one folder (no-path-traversal)"},
		{"a broken anchor", func(f map[string]string) {
			f["alerting.md"] = page("Alerting", "9", "See [it](troubleshooting.md#settings-errors).\n")
		},
			"docs: alerting.md:7: the link troubleshooting.md#settings-errors: troubleshooting.md has no heading whose anchor is #settings-errors (anchor-links-resolve)"},
		{"a broken anchor in the page", func(f map[string]string) { f["alerting.md"] = page("Alerting", "9", "## One\n\nSee [two](#two).\n") },
			"docs: alerting.md:9: the link #two: alerting.md has no heading whose anchor is #two (anchor-links-resolve)"},
		{"a javascript link", func(f map[string]string) { f["alerting.md"] = page("Alerting", "9", "[x](javascript:alert(1))\n") },
			"docs: alerting.md:7: the link javascript:alert(1 uses a forbidden URL scheme (no-dangerous-urls)"},
		{"a missing image", func(f map[string]string) { delete(f, "img/settings.png") },
			"docs: configuration.md:7: the image img/settings.png (img/settings.png) is not in the docs folder (referenced-images-exist)"},
		{"an image outside the docs", func(f map[string]string) {
			f["configuration.md"] = page("Configuration", "3", "![s](img/settings.png) ![s](../src/img/logo.png)\n")
		}, "docs: configuration.md:7: the image ../src/img/logo.png climbs with ../, which the catalog refuses: put it in an img/ folder beside the page (no-path-traversal)"},
		{"an external image", func(f map[string]string) {
			f["configuration.md"] = page("Configuration", "3", "![s](img/settings.png) ![s](https://example.com/a.png)\n")
		}, "docs: configuration.md:7: the image https://example.com/a.png is not in the docs folder: download it into img/ and link to that (no-external-images)"},
		{"an unused image", func(f map[string]string) { f["img/old.png"] = "png" },
			"docs: img/old.png is not shown on any page: remove it or link to it (no-orphaned-images)"},
		{"a big image", func(f map[string]string) { f["img/settings.png"] = big },
			"docs: img/settings.png is 301 KB; images may be at most 300 KB: compress or resize it (max-image-size)"},
		{"an SVG", func(f map[string]string) { f["img/logo.svg"] = "<svg/>" },
			"docs: img/logo.svg: SVG images are not allowed (they can carry scripts); use PNG or WebP (no-svg-files)"},
		{"another file type", func(f map[string]string) { f["notes.txt"] = "x" },
			"docs: notes.txt: only markdown pages and png, jpg, jpeg, webp and gif images belong in the docs folder; move it elsewhere (allowed-file-types)"},
		{"a space in a name", func(f map[string]string) { f["my page.md"] = page("Mine", "9", "") },
			"docs: my page.md has a space in its name, which breaks its URL: use hyphens (no-spaces-in-names)"},
		{"capitals in a name", func(f map[string]string) { f["Alerting.md"] = page("Alerting", "9", "") },
			"docs: the page name Alerting.md may use only lowercase letters, digits and hyphens (it becomes the URL) (valid-file-naming)"},
		{"a section without index.md", func(f map[string]string) { f["guides/first.md"] = page("First", "1", "") },
			"docs: the section guides has no index.md, so the sidebar names it after the folder: add one (nested-dir-has-index)"},
		{"too deep", func(f map[string]string) {
			for _, d := range []string{"a", "a/b", "a/b/c"} {
				f[d+"/index.md"] = page(d, "1", "")
			}
			f["a/b/c/d.md"] = page("D", "2", "")
		}, "docs: a/b/c/d.md is 4 folders deep; flatten the docs so no page is more than 3 deep (max-nesting-depth)"},
		{"a page the scanner drops", func(f map[string]string) { f["distribution.md"] = page("Distribution", "9", "") },
			`docs: distribution.md: the CLI's scanner leaves out every page whose path contains "dist" or "node_modules", so the catalog would not show it: rename it (not a CLI rule: its scanner's filter)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := goodDocs()
			tc.change(files)
			got := ValidateDocs(writeDocs(t, files), "datasource")
			for _, p := range got {
				if strings.HasPrefix(p, tc.want) {
					return
				}
			}
			t.Errorf("want a problem starting with\n  %s\ngot\n  %s", tc.want, strings.Join(got, "\n  "))
		})
	}
	t.Run("no folder", func(t *testing.T) {
		got := ValidateDocs(filepath.Join(t.TempDir(), "docs"), "datasource")
		if len(got) != 1 || !strings.Contains(got[0], "which is not a folder: create it or fix docsPath (docs-path-exists)") {
			t.Errorf("got %q", got)
		}
	})
	t.Run("a symbolic link", func(t *testing.T) {
		dir := writeDocs(t, goodDocs())
		if err := os.Symlink("/etc/passwd", filepath.Join(dir, "passwd.md")); err != nil {
			t.Fatal(err)
		}
		got := strings.Join(ValidateDocs(dir, "datasource"), "\n")
		if !strings.Contains(got, "docs: passwd.md is a symbolic link: put the real file there (no-symlinks)") {
			t.Errorf("got\n%s", got)
		}
	})
	t.Run("a panel's required pages", func(t *testing.T) {
		got := strings.Join(ValidateDocs(writeDocs(t, goodDocs()), "panel"), "\n")
		for _, name := range []string{"options", "data-formats"} {
			if !strings.Contains(got, "must have "+name+".md") {
				t.Errorf("no problem for the missing %s page in\n%s", name, got)
			}
		}
	})
}

// The CLI's markdown rules are regular expressions over lines, not a
// markdown parser, and ValidateDocs reads a page as they do. Each case is
// an example from the CLI's own tests at docsCLIVersion
// (src/validation/rules/markdown.test.ts and frontmatter.test.ts of
// @grafana/plugin-docs-cli in grafana/plugin-tools), named as there, or one
// of the findings the validator reported on this project's docs before
// they were fixed ("this project: ..."). flagged says whether the rule
// reports the body; line, when set, is the body line it names.
func TestValidateDocsReadsPagesAsTheCLIDoes(t *testing.T) {
	for _, tc := range []struct {
		name, body, rule string
		flagged          bool
		line             int
	}{
		{"no-raw-html: should report raw HTML tags", "<div>content</div>", "no-raw-html", true, 1},
		{"no-raw-html: should allow <br> tags", "Line 1<br>Line 2", "no-raw-html", false, 0},
		{"no-raw-html: should allow <details> and <summary> tags", "<details><summary>Click</summary>\nHidden content\n</details>", "no-raw-html", false, 0},
		{"no-raw-html: should not report HTML inside fenced code blocks", "```html\n<div>example</div>\n```", "no-raw-html", false, 0},
		{"no-raw-html: should report HTML with attributes", `<span class="highlight">text</span>`, "no-raw-html", true, 1},
		{"no-raw-html: should include line number", "\n\n<div>deep</div>\n", "no-raw-html", true, 3},
		{"this project: configuration.md:9, a placeholder in a code span", "Unzip `tickstream-streaming-datasource-<version>.zip` into", "no-raw-html", true, 1},
		{"this project: history-and-live.md:29, a placeholder with spaces", "channel, `ds/<data source uid>/v1/t=…`", "no-raw-html", true, 1},
		{"this project: operating.md:30, two in a table", "| length | `ds/<uid>/<path>` |", "no-raw-html", true, 1},
		{"a placeholder in braces is text", "`ds/{uid}/{path}`", "no-raw-html", false, 0},
		{"~~~ fences are prose to the CLI", "~~~\n<div>x</div>\n~~~", "no-raw-html", true, 2},
		{"no-script-tags: should report <script> tags", `<script>alert("xss")</script>`, "no-script-tags", true, 1},
		{"no-script-tags: should report <script> with attributes", `<script src="evil.js"></script>`, "no-script-tags", true, 1},
		{"no-script-tags: should report event handler attributes", `<img src="x" onerror="alert(1)">`, "no-script-tags", true, 1},
		{"no-script-tags: should report unquoted event handler attributes", "<details ontoggle=alert(1)>x</details>", "no-script-tags", true, 1},
		{"no-script-tags: should not report script tags inside code blocks", "```html\n<script>safe()</script>\n```", "no-script-tags", false, 0},
		{"image-refs-relative: should not report relative image refs", "![alt](img/screenshot.png)", "image-refs-relative", false, 0},
		{"image-refs-relative: should report absolute image paths", "![alt](/images/screenshot.png)", "image-refs-relative", true, 1},
		{"internal-links-relative: should not report relative links without ./", "[other](other.md)", "internal-links-relative", false, 0},
		{"internal-links-relative: should report absolute internal links", "[other](/docs/other.md)", "internal-links-relative", true, 1},
		{"internal-links-relative: should not report external links", "[grafana](https://grafana.com)", "internal-links-relative", false, 0},
		{"internal-links-relative: should not report mailto links", "[email](mailto:test@example.com)", "internal-links-relative", false, 0},
		{"no-dangerous-urls: should report javascript: URLs in links", "[click](javascript:alert(1))", "no-dangerous-urls", true, 1},
		{"no-dangerous-urls: should report data: URLs in links", "[click](data:text/html,<script>alert(1)</script>)", "no-dangerous-urls", true, 1},
		{"no-dangerous-urls: should report javascript: URLs in image refs", "![xss](javascript:alert(1))", "no-dangerous-urls", true, 1},
		{"no-dangerous-urls: should report case-insensitive javascript: URLs", "[click](JavaScript:void(0))", "no-dangerous-urls", true, 1},
		{"no-dangerous-urls: should not report dangerous URLs inside code blocks", "```\n[click](javascript:alert(1))\n```", "no-dangerous-urls", false, 0},
		{"no-path-traversal: should report ../ in image refs", "![alt](../other/img/pic.png)", "no-path-traversal", true, 1},
		{"no-path-traversal: should report ../ in links", "[other](../parent/page.md)", "no-path-traversal", true, 1},
		{"no-path-traversal: should report nested path traversal", "![alt](img/../../etc/passwd)", "no-path-traversal", true, 1},
		{"no-path-traversal: should not report ./ prefix", "![alt](./img/pic.png)", "no-path-traversal", false, 0},
		{"no-path-traversal: should not report path traversal inside code blocks", "```\n![alt](../escape.png)\n```", "no-path-traversal", false, 0},
		{"no-base64-images: should report base64-encoded images", "![pixel](data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==)", "no-base64-images", true, 1},
		{"no-base64-images: should report base64-encoded JPEG images", "![photo](data:image/jpeg;base64,/9j/4AAQ)", "no-base64-images", true, 1},
		{"no-base64-images: should not report inside code blocks", "```\n![pixel](data:image/png;base64,abc)\n```", "no-base64-images", false, 0},
		{"no-external-images: should report external image URLs", "![logo](https://example.com/logo.png)", "no-external-images", true, 1},
		{"no-external-images: should report http:// image URLs", "![logo](http://example.com/logo.png)", "no-external-images", true, 1},
		{"no-external-images: should not report external image URLs inside code blocks", "```\n![logo](https://example.com/logo.png)\n```", "no-external-images", false, 0},
		{"no-h1-heading: should report h1 heading in body", "\n# Big Heading\n", "no-h1-heading", true, 2},
		{"no-h1-heading: should not report h2 or lower headings", "## Fine\n### Also fine\n", "no-h1-heading", false, 0},
		{"this project: metrics.md:32, a PromQL comment in a fenced block", "```promql\n# points per second\nsum(rate(x[5m]))\n```", "no-h1-heading", true, 2},
		{"an indented # is no h1", "```promql\n  # points per second\n```", "no-h1-heading", false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := goodDocs()
			files["img/screenshot.png"] = "\x89PNG\r\n\x1a\n"
			files["img/pic.png"] = "\x89PNG\r\n\x1a\n"
			files["alerting.md"] = "---\ntitle: Alerting\ndescription: A page about alerting for the tests.\n---\n" + tc.body
			var got []string
			for _, p := range ValidateDocs(writeDocs(t, files), "datasource") {
				if strings.HasPrefix(p, "docs: alerting.md:") && strings.HasSuffix(p, "("+tc.rule+")") {
					got = append(got, p)
				}
			}
			switch {
			case !tc.flagged && len(got) > 0:
				t.Errorf("%s flags\n%s\nin\n%s", tc.rule, strings.Join(got, "\n"), tc.body)
			case tc.flagged && len(got) == 0:
				t.Errorf("%s does not flag\n%s", tc.rule, tc.body)
			case tc.flagged && !strings.HasPrefix(got[0], fmt.Sprintf("docs: alerting.md:%d: ", 4+tc.line)):
				t.Errorf("want the finding on body line %d (file line %d), got %s", tc.line, 4+tc.line, got[0])
			}
		})
	}
}

// ValidateDocs stands in for the CLI at the version the plugin validator
// runs; when scripts/versions.sh moves that pin, the rules above must be
// read again at the new version (its src/validation/rules/*.ts).
func TestDocsCLIVersionIsThePinned(t *testing.T) {
	pins, err := os.ReadFile("../../scripts/versions.sh")
	if err != nil {
		t.Fatal(err)
	}
	want := "\nTICKSTREAM_PLUGIN_DOCS_CLI_VERSION=" + docsCLIVersion + "\n"
	if !strings.Contains(string(pins), want) {
		t.Errorf("scripts/versions.sh pins another @grafana/plugin-docs-cli than the %s whose rules internal/release/docs.go applies: read that version's src/validation/rules/*.ts (grafana/plugin-tools, tag @grafana/plugin-docs-cli@<version>), update ValidateDocs and its tests to it, then set docsCLIVersion", docsCLIVersion)
	}
}

func TestBuildDocsManifest(t *testing.T) {
	files := goodDocs()
	files["guides/index.md"] = page("Guides", "5", "")
	files["guides/second.md"] = page("Second", "2", "")
	files["guides/first.md"] = page("First", "1", "")
	files["reference/api.md"] = page("API", "", "") // a folder without index.md
	files["renamed.md"] = strings.Replace(page("Renamed", "6", ""), "---\n\n", "slug: elsewhere\n---\n\n", 1)
	files["README.md"] = "# For the repository's readers, not a page\n"
	m, err := BuildDocsManifest(writeDocs(t, files))
	if err != nil {
		t.Fatal(err)
	}
	want := DocsManifest{Version: "1", Title: "Plugin Documentation", Pages: []DocsPage{
		{Title: "Home", Slug: "index", File: "index.md"},
		{Title: "Query editor", Slug: "query-editor", File: "query-editor.md"},
		{Title: "Configuration", Slug: "configuration", File: "configuration.md"},
		{Title: "Troubleshooting", Slug: "troubleshooting", File: "troubleshooting.md"},
		{Title: "Guides", Slug: "guides", File: "guides/index.md", Children: []DocsPage{
			{Title: "First", Slug: "guides/first", File: "guides/first.md"},
			{Title: "Second", Slug: "guides/second", File: "guides/second.md"},
		}},
		{Title: "Renamed", Slug: "elsewhere", File: "renamed.md"},
		{Title: "Reference", Slug: "reference", Children: []DocsPage{
			{Title: "API", Slug: "reference/api", File: "reference/api.md"},
		}},
	}}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("manifest\n got %+v\nwant %+v", m, want)
	}
	body, err := EncodeDocsManifest(DocsManifest{Version: "1", Title: "T", Pages: []DocsPage{{Title: "A & <B>", Slug: "index", File: "index.md"}}})
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := "{\n  \"version\": \"1\",\n  \"title\": \"T\",\n  \"pages\": [\n    {\n      \"title\": \"A & <B>\",\n      \"slug\": \"index\",\n      \"file\": \"index.md\"\n    }\n  ]\n}\n"
	if string(body) != wantJSON {
		t.Errorf("manifest.json\n got %q\nwant %q (JSON.stringify(m, null, 2) and a newline)", body, wantJSON)
	}
}

func TestBuildDocs(t *testing.T) {
	root := t.TempDir()
	files := goodDocs()
	files["README.md"] = "# How to write these pages\n"
	files["notes.txt"] = "left out"
	docs := writeDocs(t, files)
	if err := os.Rename(docs, filepath.Join(root, "docs")); err != nil {
		t.Fatal(err)
	}
	writePluginJSON := func(extra string) {
		body := `{"id": "x-y-datasource", "type": "datasource"` + extra + `}`
		if err := os.MkdirAll(filepath.Join(root, "src"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "src", "plugin.json"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dist := filepath.Join(root, "dist")

	writePluginJSON("")
	if out, err := BuildDocs(root, dist); out != "" || err != nil {
		t.Fatalf("no docsPath: got %q, %v; want nothing built", out, err)
	}

	writePluginJSON(`, "docsPath": "docs"`)
	_, err := BuildDocs(root, dist)
	if err == nil || !strings.Contains(err.Error(), "notes.txt: only markdown pages") {
		t.Fatalf("a stray file in the docs: got %v, want the allowed-file-types problem", err)
	}
	if err := os.Remove(filepath.Join(root, "docs", "notes.txt")); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dist, "docs", "old.md")
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, []byte("from an earlier build"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := BuildDocs(root, dist)
	if err != nil {
		t.Fatal(err)
	}
	if out != filepath.Join(dist, "docs") {
		t.Errorf("built into %s; want dist/docs", out)
	}
	var got []string
	_ = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	want := []string{"README.md", "configuration.md", "img/settings.png", "index.md", "manifest.json", "query-editor.md", "troubleshooting.md"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dist/docs holds %q; want %q (the pages, images and meta files, the manifest, nothing stale)", got, want)
	}

	for _, bad := range []string{"../docs", "/docs", "./docs", "docs/"} {
		writePluginJSON(`, "docsPath": "` + bad + `"`)
		if _, err := BuildDocs(root, dist); err == nil || !strings.Contains(err.Error(), "must be a plain relative folder") {
			t.Errorf("docsPath %q: got %v", bad, err)
		}
	}
}

// TestRepositoryDocsPassTheCatalogRules checks the docs that ship, not a
// fixture: a page that breaks a catalog rule (a placeholder in angle
// brackets, a duplicate sidebar_position) fails here, under go test,
// and not only in the packaging step of scripts/test.sh.
func TestRepositoryDocsPassTheCatalogRules(t *testing.T) {
	root := filepath.Join("..", "..")
	docsPath, pluginType, err := DocsPathOf(root)
	if err != nil {
		t.Fatal(err)
	}
	if docsPath == "" {
		t.Fatal("src/plugin.json names no docsPath")
	}
	for _, problem := range ValidateDocs(filepath.Join(root, docsPath), pluginType) {
		t.Error(problem)
	}
}
