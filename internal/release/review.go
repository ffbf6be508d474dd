package release

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// The plugin catalog's review rules for plugin.json that need no network,
// as grafana/plugin-validator applies them (its metadatavalid analyzer
// validates against Grafana's plugin.schema.json; logos, screenshots,
// metadatapaths and typesuffix check the rest). The schema is fetched at
// run time by the validator; its rules are restated here so that the zip
// check runs offline and in milliseconds. Unknown top-level keys are not
// refused: the schema grows (docsPath) faster than a copy would.

var (
	// idPattern and grafanaDependencyPattern are plugin.schema.json's.
	idPattern                = regexp.MustCompile(`^[0-9a-z]+\-([0-9a-z]+\-)?(app|panel|datasource|secretsmanager|transformer)$`)
	grafanaDependencyPattern = regexp.MustCompile(`^(<=|>=|<|>|=|~|\^)?([0-9]+)(\.[0-9x\*]+)(\.[0-9x\*]+)?(\s(<=|>=|<|=>)?([0-9]+)(\.[0-9x]+)(\.[0-9x]+))?$`)
	// semverPattern is https://semver.org's version, which the validator's
	// version analyzer parses.
	semverPattern = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	pluginTypes   = []string{"app", "datasource", "panel", "renderer", "secretsmanager", "transformer"}
	// booleanKeys are plugin.json's top-level flags that the schema types as
	// booleans.
	booleanKeys = []string{"alerting", "annotations", "autoEnabled", "backend", "builtIn", "hideFromList", "logs", "metrics", "preload", "skipDataQuery", "streaming", "tracing"}
)

// jsonObject is a decoded JSON object.
type jsonObject = map[string]any

// reviewMetadata returns every way plugin.json breaks the catalog's schema
// rules, in the order of the file's fields.
func reviewMetadata(body []byte) []string {
	var root any
	if err := json.Unmarshal(body, &root); err != nil {
		return []string{fmt.Sprintf("plugin.json is not valid JSON: %v", err)}
	}
	obj, ok := root.(jsonObject)
	if !ok {
		return []string{"plugin.json must be a JSON object; got " + jsonKind(root)}
	}
	r := &metadataReview{}
	for _, key := range []string{"type", "name", "id", "info", "dependencies"} {
		if _, ok := obj[key]; !ok {
			r.failf("plugin.json: %s is missing; the catalog's schema requires type, name, id, info and dependencies", key)
		}
	}
	typ, _ := r.str(obj, "type", "type")
	if typ != "" && !slices.Contains(pluginTypes, typ) {
		r.failf("plugin.json: type %q is not one of %s", typ, strings.Join(pluginTypes, ", "))
	}
	if name, ok := r.str(obj, "name", "name"); ok && strings.TrimSpace(name) == "" {
		r.failf("plugin.json: name is empty; it is the plugin's name in Grafana and the catalog")
	}
	if id, ok := r.str(obj, "id", "id"); ok {
		switch {
		case !idPattern.MatchString(id):
			r.failf("plugin.json: id %q does not follow the catalog's naming, <organization>-<name>-<type> in lower-case letters and digits (e.g. myorg-example-datasource)", id)
		case slices.Contains(pluginTypes, typ) && !strings.HasSuffix(id, "-"+typ):
			r.failf("plugin.json: id %q must end with -%s, the plugin's type", id, typ)
		}
	}
	r.str(obj, "executable", "executable")
	for _, key := range booleanKeys {
		if v, ok := obj[key]; ok {
			if _, isBool := v.(bool); !isBool {
				r.failf("plugin.json: %s must be true or false; got %s", key, jsonKind(v))
			}
		}
	}
	if info, ok := r.object(obj, "info", "info"); ok {
		r.info(info)
	}
	if deps, ok := r.object(obj, "dependencies", "dependencies"); ok {
		r.dependencies(deps)
	}
	return r.problems
}

type metadataReview struct{ problems []string }

func (r *metadataReview) failf(format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

// str returns obj[key] when it is a string; a present value of another
// type is a problem named after path.
func (r *metadataReview) str(obj jsonObject, key, path string) (string, bool) {
	v, present := obj[key]
	if !present {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		r.failf("plugin.json: %s must be a string; got %s", path, jsonKind(v))
	}
	return s, ok
}

func (r *metadataReview) object(obj jsonObject, key, path string) (jsonObject, bool) {
	v, present := obj[key]
	if !present {
		return nil, false
	}
	o, ok := v.(jsonObject)
	if !ok {
		r.failf("plugin.json: %s must be an object; got %s", path, jsonKind(v))
	}
	return o, ok
}

func (r *metadataReview) array(obj jsonObject, key, path string) ([]any, bool) {
	v, present := obj[key]
	if !present {
		return nil, false
	}
	a, ok := v.([]any)
	if !ok {
		r.failf("plugin.json: %s must be an array; got %s", path, jsonKind(v))
	}
	return a, ok
}

func (r *metadataReview) info(info jsonObject) {
	for _, key := range []string{"logos", "version", "updated", "keywords"} {
		if _, ok := info[key]; !ok {
			r.failf("plugin.json: info.%s is missing; the catalog's schema requires info.logos, info.version, info.updated and info.keywords", key)
		}
	}
	if v, ok := r.str(info, "version", "info.version"); ok && !semverPattern.MatchString(v) && v != "%VERSION%" {
		r.failf("plugin.json: info.version %q is not a semantic version such as 1.2.3 (https://semver.org); set package.json's version", v)
	}
	r.str(info, "updated", "info.updated")
	r.str(info, "description", "info.description")
	if keywords, ok := r.array(info, "keywords", "info.keywords"); ok {
		if len(keywords) == 0 {
			r.failf("plugin.json: info.keywords is empty; list at least one word the catalog's search should find the plugin by")
		}
		for i, k := range keywords {
			if _, isString := k.(string); !isString {
				r.failf("plugin.json: info.keywords[%d] must be a string; got %s", i, jsonKind(k))
			}
		}
	}
	if author, ok := r.object(info, "author", "info.author"); ok {
		r.str(author, "name", "info.author.name")
		if u, ok := r.str(author, "url", "info.author.url"); ok {
			r.absoluteURL("info.author.url", u)
		}
	}
	if logos, ok := r.object(info, "logos", "info.logos"); ok {
		for _, key := range []string{"small", "large"} {
			if _, ok := r.str(logos, key, "info.logos."+key); !ok {
				if _, present := logos[key]; !present {
					r.failf("plugin.json: info.logos.%s is missing; give the path of the logo in the archive, e.g. img/logo.svg", key)
				}
			}
		}
	}
	for _, link := range r.objectItems(info, "links", "info.links", "name and url") {
		r.str(link.obj, "name", link.path+".name")
		if u, ok := r.str(link.obj, "url", link.path+".url"); ok {
			r.absoluteURL(link.path+".url", u)
		}
	}
	for _, shot := range r.objectItems(info, "screenshots", "info.screenshots", "name and path") {
		name, _ := r.str(shot.obj, "name", shot.path+".name")
		if p, ok := r.str(shot.obj, "path", shot.path+".path"); !ok || strings.TrimSpace(p) == "" {
			r.failf("plugin.json: %s (%q) has no path; give the image's path in the archive, e.g. img/screenshots/editor.png", shot.path, name)
		}
	}
}

// item is one object of an array of plugin.json, with its path.
type item struct {
	path string
	obj  jsonObject
}

// objectItems returns the objects of the array obj[key], reporting the
// array's other items (they should be objects with fields).
func (r *metadataReview) objectItems(obj jsonObject, key, path, fields string) []item {
	values, _ := r.array(obj, key, path)
	var out []item
	for i, v := range values {
		p := fmt.Sprintf("%s[%d]", path, i)
		o, ok := v.(jsonObject)
		if !ok {
			r.failf("plugin.json: %s must be an object with %s; got %s", p, fields, jsonKind(v))
			continue
		}
		out = append(out, item{p, o})
	}
	return out
}

func (r *metadataReview) dependencies(deps jsonObject) {
	dep, ok := r.str(deps, "grafanaDependency", "dependencies.grafanaDependency")
	switch {
	case !ok:
		if _, present := deps["grafanaDependency"]; !present {
			r.failf(`plugin.json: dependencies.grafanaDependency is missing; set the Grafana versions the plugin runs on, e.g. ">=12.3.0"`)
		}
	case !grafanaDependencyPattern.MatchString(dep):
		r.failf(`plugin.json: dependencies.grafanaDependency %q is not a version range the catalog accepts; write e.g. ">=12.3.0" or ">=12.3.0 <14.0.0"`, dep)
	}
	for _, plugin := range r.objectItems(deps, "plugins", "dependencies.plugins", "id, name, type and version") {
		for _, key := range []string{"id", "name", "type", "version"} {
			if _, present := plugin.obj[key]; !present {
				r.failf("plugin.json: %s has no %s; each required plugin needs id, name, type and version", plugin.path, key)
			}
		}
	}
}

// absoluteURL reports a link the catalog cannot open: the schema's "uri"
// format, narrowed to the http(s) links a catalog page can show.
func (r *metadataReview) absoluteURL(path, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		r.failf("plugin.json: %s %q is not an absolute http(s) URL; the catalog links to it as it is", path, raw)
	}
}

// reviewImagePath returns why an image path of plugin.json cannot be
// served from the archive (the validator's metadatapaths), or "".
func reviewImagePath(field, p string) string {
	if u, err := url.Parse(p); err != nil || u.IsAbs() {
		return fmt.Sprintf("plugin.json: %s %q must be a path inside the archive, relative to plugin.json (e.g. img/logo.svg), not a URL", field, p)
	}
	if strings.HasPrefix(p, ".") || strings.HasPrefix(p, "/") {
		return fmt.Sprintf("plugin.json: %s %q must not start with '.' or '/'; write it relative to plugin.json, e.g. img/logo.svg", field, p)
	}
	return ""
}

// jsonKind describes a decoded JSON value for a message.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	default:
		return "an object"
	}
}
