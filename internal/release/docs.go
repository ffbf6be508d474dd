package release

// The plugin catalog's docs pages (Grafana's experimental "plugin docs"):
// src/plugin.json's docsPath names a folder of markdown pages, one file per
// page, folders for sections, frontmatter for titles and order. At release
// @grafana/plugin-docs-cli validates that folder and builds it into
// dist/<docsPath>/ (the pages and images plus a generated manifest.json),
// which ships in the zip. That CLI is not installable here, so this file does
// what its "validate" and "build" commands do, offline: ValidateDocs checks
// the rules of its validation-rules.md that need no network, BuildDocs writes
// the same output as its build command.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// DocsManifest is the CLI's manifest.json: the sidebar, in order.
type DocsManifest struct {
	Version string     `json:"version"`
	Title   string     `json:"title"`
	Pages   []DocsPage `json:"pages"`
}

// DocsPage is one sidebar entry. File is the page's path below the docs
// folder; it is "" for a folder without index.md (a category).
type DocsPage struct {
	Title    string     `json:"title"`
	Slug     string     `json:"slug"`
	File     string     `json:"file"`
	Children []DocsPage `json:"children,omitempty"`
}

// docsCLIVersion is the @grafana/plugin-docs-cli whose "validate --strict"
// ValidateDocs stands in for: the version the plugin validator pins
// (scripts/versions.sh, TICKSTREAM_PLUGIN_DOCS_CLI_VERSION; a test fails when
// that pin moves, so that the rules are read again at the new version).
const docsCLIVersion = "0.0.10"

// The CLI's limits and file types (validation-rules.md).
const (
	docsManifestName  = "manifest.json"
	maxDocsDepth      = 3
	maxDocsPages      = 50
	maxDocsSize       = 10 << 20
	maxDocsImagesSize = 5 << 20
	maxStaticImage    = 300 << 10
	maxGIF            = 1 << 20
)

var (
	docsImageExt = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".webp": true, ".gif": true}
	// docsMetaFiles may sit in the docs folder without being pages.
	docsMetaFiles = map[string]bool{"README.MD": true, "CONTRIBUTING.MD": true, "LICENSE.MD": true,
		"CODE_OF_CONDUCT.MD": true, "SECURITY.MD": true, "CHANGELOG.MD": true, "AGENTS.MD": true}
	// requiredDocsPages are the topics each plugin type must have at the
	// root of its docs folder, as a page or a folder.
	requiredDocsPages = map[string][]string{
		"panel":      {"options", "data-formats", "troubleshooting"},
		"datasource": {"query-editor", "configuration", "troubleshooting"},
	}
	slugSafeRE   = regexp.MustCompile(`^[a-z0-9-]+$`)
	customSlugRE = regexp.MustCompile(`^[A-Za-z0-9/_-]+$`)
	imageNameRE  = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	numberRE     = regexp.MustCompile(`^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$`)
	// The CLI's markdown patterns (docsCLIVersion, rules/markdown.ts),
	// matched per line as it matches them.
	docLinkRE     = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	docImageRE    = regexp.MustCompile(`!\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	htmlTagRE     = regexp.MustCompile(`< */?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*/?>`)
	scriptTagRE   = regexp.MustCompile(`(?i)<script\b[^>]*>`)
	handlerRE     = regexp.MustCompile(`(?i)\bon[a-z]+\s*=\s*(?:["'][^"']*["']|[^\s>]+)`)
	schemeRE      = regexp.MustCompile(`(?i)^(javascript|vbscript|data):`)
	base64ImageRE = regexp.MustCompile(`(?i)^data:image/[^;]+;base64,`)
	httpRE        = regexp.MustCompile(`(?i)^https?://`)
	anySchemeRE   = regexp.MustCompile(`(?i)^[a-z]+:`)
	traversalRE   = regexp.MustCompile(`(?:^|/)\.\./`)
	headingRE     = regexp.MustCompile(`^(#{2,6})\s+(.+)$`)
	// headingMarkup is the inline markup the CLI strips from a heading
	// before it makes the anchor: bold, italic, code, links.
	headingMarkup = []*regexp.Regexp{
		regexp.MustCompile(`\*\*([^*]+)\*\*`),
		regexp.MustCompile(`\*([^*]+)\*`),
		regexp.MustCompile("`([^`]+)`"),
		regexp.MustCompile(`\[([^\]]+)\]\([^)]+\)`),
	}
	// allowedHTML are the tags the CLI lets through no-raw-html.
	allowedHTML = map[string]bool{"br": true, "wbr": true, "hr": true, "details": true, "summary": true}
)

// DocsPathOf returns src/plugin.json's docsPath under root ("" when unset)
// and the plugin's type, which decides the required pages.
func DocsPathOf(root string) (docsPath, pluginType string, err error) {
	var pj struct {
		DocsPath string `json:"docsPath"`
		Type     string `json:"type"`
	}
	if err := readJSON(filepath.Join(root, "src", "plugin.json"), &pj); err != nil {
		return "", "", err
	}
	return pj.DocsPath, pj.Type, nil
}

// docPage is a parsed markdown page of the docs folder.
type docPage struct {
	rel      string // slash path below the docs folder
	title    string
	desc     string
	position *float64
	slug     string
	body     string
	bodyLine int // lines before the body, for messages' line numbers
}

// ValidateDocs returns every problem of the docs folder dir for a plugin of
// pluginType, each naming the file, the CLI's rule and the fix. It applies
// the rules as the CLI's strict "validate" does (what the catalog runs before
// publishing), and refuses its warnings and suggestions too, so that what
// ships is clean.
func ValidateDocs(dir, pluginType string) []string {
	var out []string
	fail := func(rule, format string, args ...any) {
		out = append(out, fmt.Sprintf("docs: "+format+" ("+rule+")", args...))
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		fail("docs-path-exists", "src/plugin.json's docsPath names %s, which is not a folder: create it or fix docsPath", dir)
		return out
	}
	var (
		pages      []*docPage
		images     = map[string]int64{}
		files      = map[string]bool{} // every file, which links may lead to
		dirs       []string
		total      int64
		imageTotal int64
	)
	err := walkDocs(dir, func(fsys fs.FS, rel string, d fs.DirEntry) error {
		base := path.Base(rel)
		ext := strings.ToLower(path.Ext(base))
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			fail("no-symlinks", "%s is a symbolic link: put the real file there", rel)
			return nil
		case d.IsDir():
			dirs = append(dirs, rel)
			if strings.ContainsAny(base, " \t") {
				fail("no-spaces-in-names", "the folder %s has a space in its name, which breaks its URL: use hyphens", rel)
			} else if !slugSafeRE.MatchString(base) {
				fail("valid-file-naming", "the folder name %s may use only lowercase letters, digits and hyphens (it becomes the URL)", rel)
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		files[rel] = true
		switch {
		case ext == ".md":
			if docsMetaFiles[strings.ToUpper(base)] {
				return nil
			}
			stem := strings.TrimSuffix(base, path.Ext(base))
			if strings.ContainsAny(stem, " \t") {
				fail("no-spaces-in-names", "%s has a space in its name, which breaks its URL: use hyphens", rel)
			} else if !slugSafeRE.MatchString(stem) {
				fail("valid-file-naming", "the page name %s may use only lowercase letters, digits and hyphens (it becomes the URL)", rel)
			}
			if strings.Contains(rel, "dist") || strings.Contains(rel, "node_modules") {
				fail("not a CLI rule: its scanner's filter", "%s: the CLI's scanner leaves out every page whose path contains \"dist\" or \"node_modules\", so the catalog would not show it: rename it", rel)
			}
			if depth := pageDepth(rel); depth > maxDocsDepth {
				fail("max-nesting-depth", "%s is %d folders deep; flatten the docs so no page is more than %d deep", rel, depth, maxDocsDepth)
			}
			body, err := fs.ReadFile(fsys, rel)
			if err != nil {
				return err
			}
			p := parsePage(rel, string(body), func(rule, format string, args ...any) {
				fail(rule, "%s: "+format, append([]any{rel}, args...)...)
			})
			if p != nil {
				pages = append(pages, p)
			}
		case ext == ".svg":
			fail("no-svg-files", "%s: SVG images are not allowed (they can carry scripts); use PNG or WebP", rel)
		case docsImageExt[ext]:
			images[rel] = info.Size()
			imageTotal += info.Size()
			limit := int64(maxStaticImage)
			if ext == ".gif" {
				limit = maxGIF
			}
			if info.Size() > limit {
				fail("max-image-size", "%s is %d KB; images may be at most %d KB: compress or resize it", rel, info.Size()>>10, limit>>10)
			}
			if !imageNameRE.MatchString(base) {
				fail("image-file-naming", "the image name %s may use only letters, digits, hyphens, underscores and dots", rel)
			}
		default:
			fail("allowed-file-types", "%s: only markdown pages and png, jpg, jpeg, webp and gif images belong in the docs folder; move it elsewhere", rel)
		}
		return nil
	})
	if err != nil {
		fail("docs-path-exists", "reading %s: %v", dir, err)
		return out
	}
	if total > maxDocsSize {
		fail("max-total-docs-size", "the docs folder holds %d MB; keep it under %d MB (it ships in the zip)", total>>20, maxDocsSize>>20)
	}
	if imageTotal > maxDocsImagesSize {
		fail("max-total-images-size", "the docs' images add up to %d MB; keep them under %d MB", imageTotal>>20, maxDocsImagesSize>>20)
	}
	if len(pages) > maxDocsPages {
		fail("max-total-pages", "the docs have %d pages; at most %d: merge related pages", len(pages), maxDocsPages)
	}
	out = append(out, structureProblems(pages, dirs, images, pluginType)...)
	out = append(out, contentProblems(pages, images, files)...)
	return out
}

// pageDepth counts the folders of a page's sidebar position: an index.md
// stands for its folder.
func pageDepth(rel string) int {
	if path.Base(rel) == "index.md" {
		rel = path.Dir(rel)
		if rel == "." {
			return 0
		}
	}
	return strings.Count(rel, "/") + 1
}

// parsePage reads a page's frontmatter, reporting what the CLI's frontmatter
// rules refuse; it returns nil when the page has no title or description
// (the CLI's scanner leaves such a page out of the manifest).
func parsePage(rel, text string, fail func(rule, format string, args ...any)) *docPage {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if !strings.HasPrefix(text, "---\n") {
		fail("frontmatter-block-exists", "the page must begin with a frontmatter block (---, then title: and description:, then ---)")
		return nil
	}
	block, body, ok := strings.Cut(text[4:], "\n---\n")
	if !ok {
		if block, ok = strings.CutSuffix(text[4:], "\n---"); !ok {
			fail("frontmatter-block-exists", "the frontmatter block has no closing --- line")
			return nil
		}
	}
	p := &docPage{rel: rel, body: body, bodyLine: strings.Count(text[:len(text)-len(body)], "\n")}
	fields := map[string]string{}
	for i, line := range strings.Split(block, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok || key != strings.TrimSpace(key) || key == "" || strings.HasPrefix(line, " ") {
			fail("frontmatter-valid-yaml", "frontmatter line %d %q is not a top-level \"key: value\" (the only YAML this check reads)", i+2, line)
			continue
		}
		v, err := yamlScalar(strings.TrimSpace(value))
		if err != "" {
			fail("frontmatter-valid-yaml", "frontmatter %s: %s", key, err)
			continue
		}
		if _, dup := fields[key]; dup {
			fail("frontmatter-valid-yaml", "frontmatter %s is set twice", key)
		}
		fields[key] = v
	}
	for _, key := range []string{"title", "description"} {
		if strings.TrimSpace(fields[key]) == "" {
			fail("frontmatter-required-fields", "the frontmatter needs a non-empty %s", key)
		}
	}
	p.title, p.desc, p.slug = fields["title"], fields["description"], fields["slug"]
	if n := len([]rune(p.title)); n > 60 {
		fail("frontmatter-title-length", "the title has %d characters; at most 60 (search engines cut longer ones)", n)
	}
	if n := len([]rune(p.desc)); p.desc != "" && (n < 20 || n > 160) {
		fail("frontmatter-description-length", "the description has %d characters; 20 to 160", n)
	}
	if raw, set := fields["sidebar_position"]; set {
		if !numberRE.MatchString(raw) {
			fail("frontmatter-field-types", "sidebar_position %q is not a number", raw)
		} else if f, err := strconv.ParseFloat(raw, 64); err == nil {
			p.position = &f
		}
	}
	if _, set := fields["slug"]; set {
		if rel == "index.md" {
			fail("root-index-no-custom-slug", "the landing page may not set a slug; renaming it hides the Documentation tab")
		} else if normalizeSlug(p.slug) == "" {
			fail("frontmatter-valid-slug", "slug %q may use only letters, digits, underscores, hyphens and slashes", p.slug)
		}
	}
	if p.title == "" || p.desc == "" {
		return nil
	}
	return p
}

// yamlScalar reads a frontmatter value: a quoted string, or a plain scalar
// that YAML reads as the same text.
func yamlScalar(v string) (string, string) {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
		if v[len(v)-1] != v[0] {
			return "", "the quoted value does not end with its quote"
		}
		if v[0] == '"' {
			s, err := strconv.Unquote(v)
			if err != nil {
				return "", "the double-quoted value is not a valid string: " + err.Error()
			}
			return s, ""
		}
		inner := v[1 : len(v)-1]
		if strings.Contains(strings.ReplaceAll(inner, "''", ""), "'") {
			return "", "a single quote inside a single-quoted value must be doubled ('')"
		}
		return strings.ReplaceAll(inner, "''", "'"), ""
	}
	if v != "" && strings.ContainsRune("[]{}&*!|>'\"%@`,?-:#", rune(v[0])) && !numberRE.MatchString(v) {
		return "", fmt.Sprintf("%q begins with %q, which YAML reads as syntax: put the value in double quotes", v, v[0])
	}
	if strings.Contains(v, ": ") || strings.Contains(v, " #") {
		return "", fmt.Sprintf("%q holds \": \" or \" #\", which YAML reads as syntax: put the value in double quotes", v)
	}
	return v, ""
}

// normalizeSlug is the CLI's custom slug rule: "" when the slug is unsafe.
func normalizeSlug(s string) string {
	s = strings.Trim(strings.TrimSpace(s), "/")
	if !customSlugRE.MatchString(s) {
		return ""
	}
	for _, seg := range strings.Split(s, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return ""
		}
	}
	return s
}

// structureProblems checks the folder rules that need every page: the
// landing page, the required pages, an index.md per section, no empty
// folders, unique sidebar positions and slugs.
func structureProblems(pages []*docPage, dirs []string, images map[string]int64, pluginType string) []string {
	var out []string
	fail := func(rule, format string, args ...any) {
		out = append(out, fmt.Sprintf("docs: "+format+" ("+rule+")", args...))
	}
	if len(pages) == 0 {
		fail("has-markdown-files", "the docs folder has no page with a title and a description: add index.md")
		return out
	}
	has := map[string]bool{}
	for _, p := range pages {
		has[p.rel] = true
	}
	if !has["index.md"] {
		fail("root-index-exists", "index.md, the landing page of the Documentation tab, is missing at the docs folder's root")
	}
	for _, name := range requiredDocsPages[pluginType] {
		found := has[name+".md"]
		for _, p := range pages {
			found = found || strings.HasPrefix(p.rel, name+"/")
		}
		if !found {
			fail("required-pages", "a %s plugin's docs must have %s.md (or a %s/ folder with pages) at their root, so users find that topic in the same place in every plugin", pluginType, name, name)
		}
	}
	for _, d := range dirs {
		hasPage, hasImage := false, false
		for _, p := range pages {
			hasPage = hasPage || strings.HasPrefix(p.rel, d+"/")
		}
		for img := range images {
			hasImage = hasImage || strings.HasPrefix(img, d+"/")
		}
		switch {
		case !hasPage && !hasImage:
			fail("no-empty-directories", "the folder %s holds no page or image: remove it", d)
		case hasPage && !has[d+"/index.md"]:
			fail("nested-dir-has-index", "the section %s has no index.md, so the sidebar names it after the folder: add one", d)
		}
	}
	positions := map[string]string{} // folder and position -> page
	slugs := map[string]string{}
	for _, p := range pages {
		if p.position != nil {
			key := path.Dir(p.rel) + "\x00" + strconv.FormatFloat(*p.position, 'g', -1, 64)
			if other, dup := positions[key]; dup {
				fail("no-duplicate-sidebar-position", "%s and %s share sidebar_position %v: give each page of a folder its own", other, p.rel, *p.position)
			}
			positions[key] = p.rel
		}
		if s := normalizeSlug(p.slug); s != "" {
			if other, dup := slugs[s]; dup {
				fail("no-duplicate-slugs", "%s and %s both set slug %q: slugs must be unique", other, p.rel, s)
			}
			slugs[s] = p.rel
		}
	}
	return out
}

// contentProblems checks each page's body as the CLI's markdown rules
// (version docsCLIVersion, its rules/markdown.ts and frontmatter.ts) read
// it: line by line, with regular expressions and no markdown parser. So a
// # line is an h1 even inside a fenced code block; HTML tags, scripts, event
// handlers, links and images count everywhere but in fenced code blocks,
// code spans included ("`<uid>`" is raw HTML to it). On top of the CLI's
// rules it checks that links and images resolve (anchors included) and that
// no image is left unused.
func contentProblems(pages []*docPage, images map[string]int64, files map[string]bool) []string {
	var out []string
	headings := map[string]map[string]bool{}
	for _, p := range pages {
		headings[p.rel] = headingIDs(p.body)
	}
	used := map[string]bool{}
	for _, p := range pages {
		fail := func(rule string, line int, format string, args ...any) {
			out = append(out, fmt.Sprintf("docs: %s:%d: "+format+" (%s)", append(append([]any{p.rel, line}, args...), rule)...))
		}
		lines := strings.Split(p.body, "\n")
		code := fencedLines(lines)
		for i, line := range lines {
			n := i + 1 + p.bodyLine
			if strings.HasPrefix(line, "# ") {
				fail("no-h1-heading", n, "a line that begins with \"# \" is an h1 to the catalog, even in a code block: use ## or lower, or begin the line otherwise (in a code block, indent it or drop the \"# \")")
			}
			if code[i] {
				continue
			}
			for _, m := range scriptTagRE.FindAllString(line, -1) {
				fail("no-script-tags", n, "%s: scripts are not allowed", m)
			}
			for _, m := range handlerRE.FindAllString(line, -1) {
				fail("no-script-tags", n, "%s reads as an event handler attribute, which is not allowed (even in prose or a code span): reword it", m)
			}
			for _, m := range htmlTagRE.FindAllStringSubmatch(line, -1) {
				if tag := strings.ToLower(m[1]); tag != "script" && !allowedHTML[tag] {
					fail("no-raw-html", n, "%s reads as the HTML tag <%s>, even in a code span: write it in markdown, or write a placeholder without angle brackets (VERSION, {uid})", m[0], tag)
				}
			}
			for _, m := range docImageRE.FindAllStringSubmatch(line, -1) {
				ref := m[1]
				switch {
				case base64ImageRE.MatchString(ref):
					fail("no-base64-images", n, "an embedded image: save it as a file in img/ and link to that")
				case httpRE.MatchString(ref):
					fail("no-external-images", n, "the image %s is not in the docs folder: download it into img/ and link to that", ref)
				case schemeRE.MatchString(ref):
					fail("no-dangerous-urls", n, "the image %s uses a forbidden URL scheme", ref)
				case traversalRE.MatchString(ref):
					fail("no-path-traversal", n, "the image %s climbs with ../, which the catalog refuses: put it in an img/ folder beside the page", ref)
				case strings.HasPrefix(ref, "/"):
					fail("image-refs-relative", n, "the image %s must be relative to the page (img/...)", ref)
				default:
					if target, inside := resolveDocRef(p.rel, ref); !inside {
						fail("no-path-traversal", n, "the image %s leads out of the docs folder: copy it into the docs' img/", ref)
					} else if _, ok := images[target]; !ok {
						fail("referenced-images-exist", n, "the image %s (%s) is not in the docs folder", ref, target)
					} else {
						used[target] = true
					}
				}
			}
			for _, m := range docLinkRE.FindAllStringSubmatchIndex(line, -1) {
				if m[0] > 0 && line[m[0]-1] == '!' {
					continue
				}
				ref := line[m[4]:m[5]]
				switch {
				case strings.HasPrefix(ref, "#"):
				case schemeRE.MatchString(ref):
					fail("no-dangerous-urls", n, "the link %s uses a forbidden URL scheme", ref)
					continue
				case traversalRE.MatchString(ref):
					fail("no-path-traversal", n, "the link %s climbs with ../, which the catalog refuses: link to the page's absolute URL instead, or move the pages into one folder", ref)
					continue
				case anySchemeRE.MatchString(ref): // http(s), mailto, tel, ...
					continue
				case strings.HasPrefix(ref, "/"):
					fail("internal-links-relative", n, "the link %s must be relative to the page", ref)
					continue
				}
				file, anchor, _ := strings.Cut(ref, "#")
				target := p.rel
				if file != "" {
					var inside bool
					if target, inside = resolveDocRef(p.rel, file); !inside {
						fail("no-path-traversal", n, "the link %s leads out of the docs folder: link to the page's absolute URL instead", ref)
						continue
					}
					if !files[target] {
						fail("internal-links-resolve", n, "the link %s leads to %s, which is not in the docs folder", ref, target)
						continue
					}
				}
				if anchor != "" && headings[target] != nil && !headings[target][anchor] {
					fail("anchor-links-resolve", n, "the link %s: %s has no heading whose anchor is #%s", ref, target, anchor)
				}
			}
		}
	}
	unused := make([]string, 0, len(images))
	for img := range images {
		if !used[img] {
			unused = append(unused, img)
		}
	}
	sort.Strings(unused)
	for _, img := range unused {
		out = append(out, fmt.Sprintf("docs: %s is not shown on any page: remove it or link to it (no-orphaned-images)", img))
	}
	return out
}

// fencedLines marks the lines the CLI takes for code: a line that begins
// with ``` (after spaces) opens or closes a block and is code itself. Other
// fences (~~~) and indented blocks are prose to it.
func fencedLines(lines []string) []bool {
	code := make([]bool, len(lines))
	in := false
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			in = !in
			code[i] = true
			continue
		}
		code[i] = in
	}
	return code
}

// proseLines returns the body's lines with fenced code blocks blanked, so
// that headings in code make no anchors.
func proseLines(body string) []string {
	lines := strings.Split(body, "\n")
	for i, c := range fencedLines(lines) {
		if c {
			lines[i] = ""
		}
	}
	return lines
}

// resolveDocRef resolves ref from the page rel; inside is false when it
// leads out of the docs folder.
func resolveDocRef(rel, ref string) (string, bool) {
	target := path.Clean(path.Join(path.Dir(rel), ref))
	return target, target != ".." && !strings.HasPrefix(target, "../") && !strings.HasPrefix(target, "/")
}

// headingIDs returns the anchors of a body's ## to ###### headings, as
// github-slugger makes them (the CLI's and the catalog's anchors).
func headingIDs(body string) map[string]bool {
	ids := map[string]bool{}
	seen := map[string]int{}
	for _, line := range proseLines(body) {
		m := headingRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		text := m[2]
		for _, re := range headingMarkup {
			text = re.ReplaceAllString(text, "$1")
		}
		slug := githubSlug(strings.TrimSpace(text))
		id := slug
		if n := seen[slug]; n > 0 {
			id = fmt.Sprintf("%s-%d", slug, n)
		}
		seen[slug]++
		ids[id] = true
	}
	return ids
}

// githubSlug is github-slugger's slug: lower case, punctuation removed,
// each space a hyphen.
func githubSlug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// BuildDocsManifest returns the manifest the CLI generates for the docs
// folder dir: the landing index.md first, then pages and sections by
// sidebar_position (then by name); a section's index.md is the section's page.
func BuildDocsManifest(dir string) (DocsManifest, error) {
	type node struct {
		page     *docPage
		children map[string]*node
	}
	root := &node{children: map[string]*node{}}
	count := 0
	err := walkDocs(dir, func(fsys fs.FS, rel string, d fs.DirEntry) error {
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".md") || strings.Contains(rel, "dist") || strings.Contains(rel, "node_modules") {
			return nil
		}
		body, err := fs.ReadFile(fsys, rel)
		if err != nil {
			return err
		}
		p := parsePage(rel, string(body), func(string, string, ...any) {})
		if p == nil {
			return nil
		}
		count++
		cur := root
		parts := strings.Split(rel, "/")
		for _, part := range parts[:len(parts)-1] {
			if cur.children[part] == nil {
				cur.children[part] = &node{children: map[string]*node{}}
			}
			cur = cur.children[part]
		}
		cur.children[parts[len(parts)-1]] = &node{page: p, children: map[string]*node{}}
		return nil
	})
	if err != nil {
		return DocsManifest{}, err
	}
	if count == 0 {
		return DocsManifest{}, fmt.Errorf("docs: no page with a title and a description in %s", dir)
	}
	var pagesOf func(n *node, isRoot bool) []DocsPage
	pagesOf = func(n *node, isRoot bool) []DocsPage {
		names := make([]string, 0, len(n.children))
		for name, c := range n.children {
			if c.page == nil && c.children["index.md"] != nil {
				c.page = c.children["index.md"].page
				delete(c.children, "index.md")
			}
			names = append(names, name)
		}
		pos := func(name string) float64 {
			if p := n.children[name].page; p != nil && p.position != nil {
				return *p.position
			}
			return float64(1 << 53)
		}
		sort.Slice(names, func(i, j int) bool {
			a, b := names[i], names[j]
			if isRoot && (a == "index.md") != (b == "index.md") {
				return a == "index.md"
			}
			if pos(a) != pos(b) {
				return pos(a) < pos(b)
			}
			return a < b
		})
		out := make([]DocsPage, 0, len(names))
		for _, name := range names {
			c := n.children[name]
			var pg DocsPage
			if c.page != nil {
				slug := pageSlug(c.page.rel)
				if s := normalizeSlug(c.page.slug); s != "" {
					slug = s
				}
				pg = DocsPage{Title: c.page.title, Slug: slug, File: c.page.rel}
			} else {
				pg = DocsPage{Title: strings.ToUpper(name[:1]) + strings.ReplaceAll(name[1:], "-", " "), Slug: name}
			}
			if len(c.children) > 0 {
				pg.Children = pagesOf(c, false)
			}
			out = append(out, pg)
		}
		return out
	}
	return DocsManifest{Version: "1", Title: "Plugin Documentation", Pages: pagesOf(root, true)}, nil
}

// pageSlug is the CLI's generated slug: the page's path without .md, each
// segment slugged; a section's index.md takes the section's slug.
func pageSlug(rel string) string {
	rel = strings.TrimSuffix(rel, ".md")
	if dir, base := path.Split(rel); base == "index" && dir != "" {
		rel = strings.TrimSuffix(dir, "/")
	}
	segs := strings.Split(rel, "/")
	for i, s := range segs {
		segs[i] = githubSlug(s)
	}
	return strings.Join(segs, "/")
}

// EncodeDocsManifest is manifest.json as the CLI writes it
// (JSON.stringify(manifest, null, 2) and a newline).
func EncodeDocsManifest(m DocsManifest) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// docsPathProblem says why plugin.json's docsPath cannot name both the
// project's docs folder and the built one below dist/ (the CLI builds
// <docsPath> into dist/<docsPath>), or "".
func docsPathProblem(docsPath string) string {
	if path.Clean(docsPath) != docsPath || !validName(docsPath) || strings.HasPrefix(docsPath, ".") {
		return fmt.Sprintf("plugin.json: docsPath %q must be a plain relative folder below the project, like \"docs\"", docsPath)
	}
	return ""
}

// BuildDocs validates the docs folder that root's src/plugin.json names and
// writes it into distDir/<docsPath>/ as the CLI's build does: the folder
// emptied first, the pages and images copied (nothing else), manifest.json
// generated. It returns that folder, or "" when plugin.json has no docsPath.
func BuildDocs(root, distDir string) (string, error) {
	docsPath, pluginType, err := DocsPathOf(root)
	if err != nil || docsPath == "" {
		return "", err
	}
	if problem := docsPathProblem(docsPath); problem != "" {
		return "", fmt.Errorf("src/%s", problem)
	}
	src := filepath.Join(root, filepath.FromSlash(docsPath))
	if problems := ValidateDocs(src, pluginType); len(problems) > 0 {
		return "", fmt.Errorf("the docs in %s do not pass the plugin catalog's docs rules; fix each:\n%s", docsPath, strings.Join(problems, "\n"))
	}
	m, err := BuildDocsManifest(src)
	if err != nil {
		return "", err
	}
	body, err := EncodeDocsManifest(m)
	if err != nil {
		return "", err
	}
	out := filepath.Join(distDir, filepath.FromSlash(docsPath))
	if err := os.RemoveAll(out); err != nil {
		return "", err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	dst, err := os.OpenRoot(out)
	if err != nil {
		return "", err
	}
	defer func() { _ = dst.Close() }()
	// Shipped docs are world-readable, like every file of the zip.
	err = walkDocs(src, func(fsys fs.FS, rel string, d fs.DirEntry) error {
		if d.IsDir() {
			return dst.MkdirAll(rel, 0o755)
		}
		ext := strings.ToLower(path.Ext(rel))
		if ext != ".md" && !docsImageExt[ext] {
			return nil
		}
		data, err := fs.ReadFile(fsys, rel)
		if err != nil {
			return err
		}
		return dst.WriteFile(rel, data, 0o644)
	})
	if err == nil {
		err = dst.WriteFile(docsManifestName, body, 0o644)
	}
	if err != nil {
		return "", fmt.Errorf("building %s into %s: %w", docsPath, out, err)
	}
	return out, nil
}

// walkDocs calls fn for each file and folder below the docs folder dir, with
// its slash path, through an os.Root: no symbolic link inside it can lead a
// read out of the folder (ValidateDocs reports each link).
func walkDocs(dir string, fn func(fsys fs.FS, rel string, d fs.DirEntry) error) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer func() { _ = root.Close() }()
	fsys := root.FS()
	return fs.WalkDir(fsys, ".", func(rel string, d fs.DirEntry, err error) error {
		if err != nil || rel == "." {
			return err
		}
		return fn(fsys, rel, d)
	})
}
