package models

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

const (
	// MaxLabelsLength bounds labels, in characters (Unicode code points, so
	// that the browser counts the same): enough for a dozen labels, and
	// small enough that a definition always fits one subscribe message.
	MaxLabelsLength = 1000
	// MaxAliasLength bounds alias, in characters.
	MaxAliasLength = 200
	// SeriesIndex is the placeholder for a series' 1-based number in labels
	// and alias, TestData's name for it.
	SeriesIndex = "$seriesIndex"
	// DefaultSeriesLabel is the one label of each series when a query of
	// several series sets no labels.
	DefaultSeriesLabel = "series"
)

// labelsExample ends every labels syntax message, so the user sees the
// format they should have written.
const labelsExample = "e.g. host=web-$seriesIndex, dc=eu"

// labelPair is one key=value of a labels template; Value may hold
// SeriesIndex.
type labelPair struct {
	Key, Value string
}

// SeriesNames gives the labels and display names of a valid query's
// series, with the query's labels parsed once for all of them (a query may
// have 10000 series).
type SeriesNames struct {
	pairs  []labelPair
	series int64
	alias  string
}

// Names returns the SeriesNames of the valid query q.
func (q Query) Names() SeriesNames {
	pairs, _ := parseLabels(q.Labels)
	return SeriesNames{pairs: pairs, series: q.Series, alias: q.Alias}
}

// Labels returns the labels of series i (1-based): the query's labels with
// SeriesIndex replaced, or series="<i>" when the query has several series
// and sets no labels, or nil for a lone unlabelled series.
func (n SeriesNames) Labels(i int64) map[string]string {
	return seriesLabels(n.pairs, n.series, i)
}

// DisplayName returns the display name of series i (1-based): the alias
// with SeriesIndex and ${key} replaced, or "" when the query sets no alias
// (Grafana then names the series itself).
func (n SeriesNames) DisplayName(i int64) string {
	if n.alias == "" {
		return ""
	}
	return renderAlias(n.alias, n.Labels(i), i)
}

func seriesLabels(pairs []labelPair, series, i int64) map[string]string {
	if len(pairs) == 0 {
		if series > 1 {
			return map[string]string{DefaultSeriesLabel: strconv.FormatInt(i, 10)}
		}
		return nil
	}
	index := strconv.FormatInt(i, 10)
	labels := make(map[string]string, len(pairs))
	for _, p := range pairs {
		labels[p.Key] = strings.ReplaceAll(p.Value, SeriesIndex, index)
	}
	return labels
}

// renderAlias replaces SeriesIndex and every ${key} of alias; validation
// made sure each key is one of labels.
func renderAlias(alias string, labels map[string]string, i int64) string {
	var b strings.Builder
	for text := alias; text != ""; {
		open := strings.Index(text, "${")
		if open < 0 {
			b.WriteString(text)
			break
		}
		end := strings.IndexByte(text[open:], '}')
		if end < 0 {
			b.WriteString(text)
			break
		}
		b.WriteString(text[:open])
		b.WriteString(labels[text[open+2:open+end]])
		text = text[open+end+1:]
	}
	return strings.ReplaceAll(b.String(), SeriesIndex, strconv.FormatInt(i, 10))
}

// aliasKeys returns the keys of every ${key} in alias, in order.
func aliasKeys(alias string) []string {
	var keys []string
	for text := alias; ; {
		open := strings.Index(text, "${")
		if open < 0 {
			return keys
		}
		end := strings.IndexByte(text[open:], '}')
		if end < 0 {
			return keys
		}
		keys = append(keys, text[open+2:open+end])
		text = text[open+end+1:]
	}
}

// parseLabels reads a labels text, TestData's syntax: comma-separated
// key=value pairs, optionally inside { }, each value optionally in double
// quotes, spaces around keys and values (inside the quotes too) ignored. It returns the pairs
// sorted by key, or the message of the first problem found, pair by pair
// from the left.
func parseLabels(text string) (pairs []labelPair, problem string) {
	text = trimBlank(text)
	if strings.HasPrefix(text, "{") && strings.HasSuffix(text, "}") {
		text = trimBlank(text[1 : len(text)-1])
	}
	if text == "" {
		return nil, ""
	}
	seen := map[string]string{} // key → the pair that set it
	for _, raw := range strings.Split(text, ",") {
		pair := trimBlank(raw)
		if pair == "" {
			return nil, "labels must be comma-separated key=value pairs, " + labelsExample + "; got an empty pair: remove the extra comma"
		}
		key, value, found := strings.Cut(pair, "=")
		if !found {
			return nil, "labels must be comma-separated key=value pairs, " + labelsExample + `; got "` + pair + `" without "="`
		}
		key, value = trimBlank(key), unquoteValue(value)
		if !validLabelName(key) {
			return nil, `labels has the key "` + key + `" in "` + pair + `", which is not a label name: ` +
				"use letters, digits and _, not starting with a digit or with __"
		}
		if first, twice := seen[key]; twice {
			return nil, `labels has the key "` + key + `" twice, in "` + first + `" and "` + pair + `": keep one`
		}
		if value == "" {
			return nil, `labels has no value in "` + pair + `": give the label a value or remove it`
		}
		seen[key] = pair
		pairs = append(pairs, labelPair{Key: key, Value: value})
	}
	slices.SortFunc(pairs, func(a, b labelPair) int { return strings.Compare(a.Key, b.Key) })
	return pairs, ""
}

// unquoteValue drops the blanks and the double quotes around a value,
// layer after layer, so that the canonical text, which writes the value
// bare, reads back as the same value: `" x "` and `x` are one label.
func unquoteValue(value string) string {
	value = trimBlank(value)
	for len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
		value = trimBlank(value[1 : len(value)-1])
	}
	return value
}

// formatLabels is the canonical text of pairs sorted by key.
func formatLabels(pairs []labelPair) string {
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.Key + "=" + p.Value
	}
	return strings.Join(parts, ", ")
}

// trimBlank trims ASCII spaces, tabs and line breaks only, so that the
// browser, whose trim() knows more white space, trims exactly the same.
func trimBlank(s string) string {
	return strings.Trim(s, " \t\r\n")
}

// validLabelName reports whether key is a Prometheus label name,
// [a-zA-Z_][a-zA-Z0-9_]*, and not one of the names starting with __ that
// Prometheus and Grafana's alerting reserve for themselves.
func validLabelName(key string) bool {
	if key == "" || strings.HasPrefix(key, "__") || key[0] >= '0' && key[0] <= '9' {
		return false
	}
	for _, c := range []byte(key) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// characters counts s in Unicode code points, as the browser's [...s]
// does.
func characters(s string) int {
	return utf8.RuneCountInString(s)
}

// textProblem is what is wrong with a text field as received, rules 13
// and 14 for labels and the first part of 19 for alias: not a string, or
// longer than max characters; "" when neither.
func textProblem(field string, v stringValue, max int) string {
	switch {
	case !v.isString:
		return field + " must be a string; got " + v.got
	case characters(v.text) > max:
		return field + " must be at most " + strconv.Itoa(max) + " characters long; got " + strconv.Itoa(characters(v.text)) + " characters"
	}
	return ""
}

// labelRules applies rules 13 to 19 of DEVELOPERS.md to the labels and
// alias as received. seriesOK says series passed rule 11 and holds it. It
// returns the canonical labels and the alias, meaningful when no error was
// added.
func labelRules(labels, alias stringValue, series int64, seriesOK bool, add func(field string, kind Kind, message string)) (string, string) {
	// Rules 13 to 18: at most one error for labels, the first problem.
	var pairs []labelPair
	labelsOK := false
	if problem := textProblem("labels", labels, MaxLabelsLength); problem != "" {
		add("labels", KindInvalid, problem)
	} else {
		pairs, problem = parseLabels(labels.text)
		switch {
		case problem != "":
			add("labels", KindInvalid, problem)
		case seriesOK && series > 1 && len(pairs) > 0 && !slices.ContainsFunc(pairs, func(p labelPair) bool {
			return strings.Contains(p.Value, SeriesIndex)
		}):
			add("labels", KindInvalid, "labels gives all "+strconv.FormatInt(series, 10)+" series the same labels "+
				formatLabels(pairs)+": put "+SeriesIndex+" in a value, e.g. host=web-"+SeriesIndex)
		default:
			labelsOK = true
		}
	}

	// Rule 19.
	switch problem := textProblem("alias", alias, MaxAliasLength); {
	case problem != "":
		add("alias", KindInvalid, problem)
	case labelsOK && (len(pairs) > 0 || seriesOK):
		keys := make([]string, 0, len(pairs))
		for _, p := range pairs {
			keys = append(keys, p.Key)
		}
		if len(pairs) == 0 && series > 1 {
			keys = append(keys, DefaultSeriesLabel)
		}
		for _, key := range aliasKeys(alias.text) {
			if slices.Contains(keys, key) {
				continue
			}
			if len(keys) == 0 {
				add("alias", KindInvalid, "alias refers to ${"+key+"}, but the series have no labels: use "+SeriesIndex+" or set labels")
			} else {
				add("alias", KindInvalid, "alias refers to ${"+key+"}, which is not a key of the labels: use "+SeriesIndex+" or ${"+
					strings.Join(keys, "}, ${")+"}")
			}
			break
		}
	}
	return formatLabels(pairs), alias.text
}

// variableSuffix is what an error's message gets when its field was
// interpolated from dashboard variables, so the user knows which variable
// to fix: " (from the dashboard variable $tick)".
func variableSuffix(names []string) string {
	refs := make([]string, len(names))
	for i, name := range names {
		refs[i] = "$" + name
	}
	switch len(refs) {
	case 0:
		return ""
	case 1:
		return " (from the dashboard variable " + refs[0] + ")"
	default:
		return " (from the dashboard variables " + strings.Join(refs[:len(refs)-1], ", ") + " and " + refs[len(refs)-1] + ")"
	}
}

// readVariableRefs reads the frontend's variableRefs field: for each query
// field that held dashboard variable references, the names of those
// variables. It is not part of the stream definition, only of its error
// messages, so anything malformed in it is ignored.
func readVariableRefs(fields map[string]json.RawMessage) map[string][]string {
	raw, present := fields["variableRefs"]
	if !present {
		return nil
	}
	var refs map[string][]string
	if json.Unmarshal(raw, &refs) != nil {
		return nil
	}
	return refs
}

// withVariableSuffixes appends to each error the variables its field came
// from.
func withVariableSuffixes(errs []FieldError, refs map[string][]string) []FieldError {
	for i := range errs {
		errs[i].Message += variableSuffix(refs[errs[i].Field])
	}
	return errs
}
