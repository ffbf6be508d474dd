package release

import (
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
			"docs: alerting.md:7: a # heading: the title comes from the frontmatter; use ## or lower (no-h1-heading)"},
		{"raw HTML", func(f map[string]string) {
			f["alerting.md"] = page("Alerting", "9", "A <b>bold</b> claim, `<b>` in code is text.\n")
		},
			"docs: alerting.md:7: the HTML tag <b>: write it in markdown (or put it in `code` if it is text) (no-raw-html)"},
		{"a script", func(f map[string]string) { f["alerting.md"] = page("Alerting", "9", "<script>alert(1)</script>\n") },
			"docs: alerting.md:7: <script>: scripts and event handlers are not allowed (no-script-tags)"},
		{"a broken link", func(f map[string]string) { f["alerting.md"] = page("Alerting", "9", "See [soak](soak.md).\n") },
			"docs: alerting.md:7: the link soak.md leads to soak.md, which is not in the docs folder (internal-links-resolve)"},
		{"a link out of the docs", func(f map[string]string) {
			f["alerting.md"] = page("Alerting", "9", "See [soak](../developers/soak.md).\n")
		},
			"docs: alerting.md:7: the link ../developers/soak.md leads out of the docs folder: link to the page's absolute URL instead (no-path-traversal)"},
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
		}, "docs: configuration.md:7: the image ../src/img/logo.png leads out of the docs folder: copy it into the docs' img/ (no-path-traversal)"},
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
