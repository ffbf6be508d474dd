package release

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // registers GIF for image.DecodeConfig
	_ "image/jpeg" // registers JPEG
	_ "image/png"  // registers PNG
	"io"
	"path"
	"regexp"
	"sort"
	"strings"
)

// The plugin catalog's review rules for the archive's files that need no
// network, as grafana/plugin-validator applies them: images that are real
// images and SVGs without scripts (logos, screenshots, unsafesvg), a README
// for users (templatereadme, jargon) whose links work on grafana.com
// (brokenlinks' relative-link rule; whether absolute links answer needs
// the network), a real source map (jssourcemap)
// and, when the archive is signed, a MANIFEST.txt that covers exactly its
// files (signature; checking the signature itself needs grafana.com's key).

// reviewImage returns why body, the file name of the archive, is not an
// image the catalog can show, or "".
func reviewImage(name string, body []byte) string {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".svg":
		return reviewSVG(name, body)
	case ".png", ".jpg", ".jpeg", ".gif":
		cfg, format, err := image.DecodeConfig(bytes.NewReader(body))
		if err != nil {
			return fmt.Sprintf("%s is not a readable %s image (%v); export it again", name, strings.TrimPrefix(ext, "."), err)
		}
		if want := map[string]string{".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif"}[ext]; format != want {
			return fmt.Sprintf("%s holds a %s image; give it the extension .%s", name, format, format)
		}
		if cfg.Width == 0 || cfg.Height == 0 {
			return fmt.Sprintf("%s is an empty image (%d×%d pixels)", name, cfg.Width, cfg.Height)
		}
		return ""
	default:
		return fmt.Sprintf("%s: the catalog shows SVG, PNG, JPEG or GIF images; got a %q file", name, ext)
	}
}

// reviewSVG accepts well-formed XML whose root is <svg> and that holds no
// script, event handler or javascript: link, which the catalog refuses.
func reviewSVG(name string, body []byte) string {
	dec := xml.NewDecoder(bytes.NewReader(body))
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Sprintf("%s is not a well-formed SVG image: %v", name, err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			root = el.Name.Local
		}
		if strings.EqualFold(el.Name.Local, "script") || strings.EqualFold(el.Name.Local, "foreignObject") {
			return fmt.Sprintf("%s contains <%s>: the catalog refuses SVG images with scripts or embedded HTML; remove it", name, el.Name.Local)
		}
		for _, a := range el.Attr {
			if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
				return fmt.Sprintf("%s has an event handler (%s on <%s>): the catalog refuses SVG images with scripts; remove it", name, a.Name.Local, el.Name.Local)
			}
			if strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Value)), "javascript:") {
				return fmt.Sprintf("%s links to javascript: (%s on <%s>): the catalog refuses SVG images with scripts; remove it", name, a.Name.Local, el.Name.Local)
			}
		}
	}
	if root != "svg" {
		return fmt.Sprintf("%s is not an SVG image: its root element is %q, not <svg>", name, root)
	}
	return ""
}

var (
	// mdLink is the validator's Markdown link pattern (brokenlinks).
	mdLink = regexp.MustCompile(`\[.+?\]\((.+?)\)`)
	// templateHeading is how create-plugin's README template begins
	// (templatereadme).
	templateHeading = regexp.MustCompile(`^# Grafana (Panel|Data Source|Data Source Backend) Plugin Template`)
	// jargon are the words the validator takes for developer documentation
	// in the users' README (jargon).
	jargon = []string{"yarn", "nodejs"}
)

// reviewReadme returns a problem for README.md, shown on the plugin's
// catalog page, when it is still the template, holds developer jargon,
// and for each link that would break there (relative links lead nowhere).
func reviewReadme(body []byte) []string {
	var out []string
	if templateHeading.Match(body) {
		out = append(out, "README.md is still create-plugin's template; describe the plugin for its users")
	}
	for _, word := range jargon {
		if bytes.Contains(body, []byte(word)) {
			out = append(out, fmt.Sprintf("README.md mentions %q, which the catalog takes for developer documentation; move that to another file (e.g. DEVELOPERS.md) and link to it", word))
		}
	}
	for _, m := range mdLink.FindAllSubmatch(body, -1) {
		target := string(m[1])
		if fields := strings.Fields(target); len(fields) > 0 {
			target = fields[0] // drop an image's title: ![alt](path "title")
		}
		if strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") ||
			strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "http://") {
			continue
		}
		out = append(out, fmt.Sprintf("README.md: the link %s is relative; the plugin catalog shows README.md on grafana.com, where it leads nowhere: make it absolute (https://...)", target))
	}
	return out
}

// reviewSourceMap returns why module.js.map is not a source map of the
// plugin's sources, or "".
func reviewSourceMap(name string, body []byte) string {
	var m struct {
		Version int      `json:"version"`
		Sources []string `json:"sources"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return fmt.Sprintf("%s is not a source map (JSON): %v; build with npm run build", name, err)
	}
	if m.Version != 3 || len(m.Sources) == 0 {
		return fmt.Sprintf("%s is not a version 3 source map with sources (version %d, %d sources); build with npm run build", name, m.Version, len(m.Sources))
	}
	return ""
}

// signedManifestBody is the JSON "npm run sign" (@grafana/sign-plugin)
// signs.
type signedManifestBody struct {
	Plugin  string            `json:"plugin"`
	Version string            `json:"version"`
	Files   map[string]string `json:"files"`
}

// reviewSignedManifest checks MANIFEST.txt against the archive as Grafana
// does when it loads a signed plugin: the right plugin and version, and
// every other file listed with its sha256, none missing and none extra.
// sums are the sha256 of every file below the top folder.
func reviewSignedManifest(body []byte, spec Spec, sums map[string]string) []string {
	payload, err := clearsignedText(body)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v; sign again with npm run sign", signedManifest, err)}
	}
	var m signedManifestBody
	if err := json.Unmarshal(payload, &m); err != nil {
		return []string{fmt.Sprintf("%s: the signed text is not the manifest JSON: %v; sign again with npm run sign", signedManifest, err)}
	}
	var out []string
	if m.Plugin != spec.PluginID || m.Version != spec.Version {
		out = append(out, fmt.Sprintf("%s signs %s@%s; want %s@%s: sign again after the build", signedManifest, m.Plugin, m.Version, spec.PluginID, spec.Version))
	}
	var names []string
	for name := range sums {
		if name != signedManifest {
			names = append(names, name)
		}
	}
	for name := range m.Files {
		if _, ok := sums[name]; !ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		listed, inManifest := m.Files[name]
		sum, inZip := sums[name]
		switch {
		case !inManifest:
			out = append(out, fmt.Sprintf("%s does not list %s: the plugin was changed after it was signed; sign again after the last build", signedManifest, name))
		case !inZip:
			out = append(out, fmt.Sprintf("%s lists %s, which the archive does not hold; sign again after the last build", signedManifest, name))
		case listed != sum:
			out = append(out, fmt.Sprintf("%s: %s changed after it was signed; sign again after the last build", signedManifest, name))
		}
	}
	return out
}

// clearsignedText returns the signed text of an OpenPGP cleartext-signed
// message (RFC 4880 §7), undoing the dash-escaping; it checks the framing,
// not the signature.
func clearsignedText(body []byte) ([]byte, error) {
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	const begin, sig = "-----BEGIN PGP SIGNED MESSAGE-----", "-----BEGIN PGP SIGNATURE-----"
	state := 0 // 0 before the header, 1 in the armor headers, 2 in the text
	var text []string
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		switch {
		case state == 0 && line == begin:
			state = 1
		case state == 1 && line == "":
			state = 2
		case state == 2 && line == sig:
			return []byte(strings.Join(text, "\n")), nil
		case state == 2:
			text = append(text, strings.TrimPrefix(line, "- "))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return nil, errors.New("not an OpenPGP cleartext-signed message (" + begin + " … " + sig + ")")
}

// sha256Hex is the hex sha256 of body.
func sha256Hex(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}
