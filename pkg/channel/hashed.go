package channel

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tickstream/streaming/pkg/models"
)

// A stream whose channel id ds/<uid>/<path> would exceed MaxIDLength (long
// labels or alias) is named by a content hash instead:
// v1/sha256=<base64url of the SHA-256 of the canonical path>. The
// canonical path, its definition, travels as the subscription's data
// ({"definition": "<path>"}), which Grafana hands to SubscribeStream and to
// RunStream. Since the hash is checked in both, no subscriber can make a
// hashed channel serve anything but the one definition its name commits
// to, and any Grafana instance can serve it without having seen the query.

// hashedPrefix starts every hashed path.
const hashedPrefix = Version + "/sha256="

// MaxDefinitionLength bounds a hashed path's definition: far above what
// the query's own bounds allow (labels and alias are bounded), far below
// the 64 KB a browser may send Grafana in one message.
const MaxDefinitionLength = 32 << 10

// ErrOtherStream is wrapped by ParseHashed's error when the subscribe data
// is a valid definition of another stream than the path names: a refusal
// of the subscriber, not an unknown path.
var ErrOtherStream = errors.New("the subscribe data describes another stream than the path")

// Stream is how a query's stream is addressed.
type Stream struct {
	// ID is the channel id, ds/<uid>/<path>.
	ID string
	// Path is the channel path: the canonical path, or its hash.
	Path string
	// Definition is the canonical path when Path is its hash, to be sent
	// as the subscription's data; "" when Path is the definition itself.
	Definition string
}

// SubscribeData is the subscription data a hashed channel needs.
type SubscribeData struct {
	Definition string `json:"definition"`
}

// ForQuery names the stream of the valid query q for the data source uid:
// its canonical path when the channel id fits MaxIDLength, else the hash
// of that path.
func ForQuery(uid string, q models.Query) Stream {
	return forDefinition(uid, Format(q))
}

// forDefinition names the channel of the canonical path definition (a
// stream's or an exemplar channel's) for the data source uid.
func forDefinition(uid, definition string) Stream {
	if id := ID(uid, definition); len(id) <= MaxIDLength {
		return Stream{ID: id, Path: definition}
	}
	path := HashedPath(definition)
	return Stream{ID: ID(uid, path), Path: path, Definition: definition}
}

// ID is the Grafana Live channel id of the channel path of the data source
// uid: Grafana scopes a data source's channels as ds/uid/path.
func ID(uid, path string) string {
	return "ds/" + uid + "/" + path
}

// HashedPath is the hashed name of the canonical path definition.
func HashedPath(definition string) string {
	sum := sha256.Sum256([]byte(definition))
	return string(appendText([]byte(hashedPrefix), string(sum[:])))
}

// IsHashed reports whether path is a hashed name (well formed or not), so
// that it needs subscribe data to be read.
func IsHashed(path string) bool {
	return strings.HasPrefix(path, hashedPrefix)
}

// ParseHashed reads what a hashed path names for the data source uid
// from the subscription's data: a stream (e is the zero Exemplars) or an
// exemplar channel (exemplars.go), told apart by the definition. It
// refuses data that is missing or malformed, a definition that is not a
// canonical path or that hashes to another name, and a definition short
// enough to be its own path (one channel, one path).
func ParseHashed(uid, path string, data json.RawMessage) (models.Query, Exemplars, error) {
	if sum, err := textEncoding.DecodeString(strings.TrimPrefix(path, hashedPrefix)); err != nil || len(sum) != sha256.Size {
		return models.Query{}, Exemplars{}, fmt.Errorf("hashed channel path %q does not end in a base64url SHA-256", path)
	}
	var sd SubscribeData
	if err := json.Unmarshal(data, &sd); err != nil || sd.Definition == "" {
		return models.Query{}, Exemplars{}, fmt.Errorf("hashed channel path %q needs the subscribe data {\"definition\": \"<canonical path>\"}, which Tickstream's panels send; got none", path)
	}
	if len(sd.Definition) > MaxDefinitionLength {
		return models.Query{}, Exemplars{}, fmt.Errorf("the definition of hashed channel path %q is %d characters long, more than %d", path, len(sd.Definition), MaxDefinitionLength)
	}
	q, e, err := parseAnyDefinition(sd.Definition)
	if err != nil {
		return models.Query{}, Exemplars{}, fmt.Errorf("the definition of hashed channel path %q is not a stream: %w", path, err)
	}
	if HashedPath(sd.Definition) != path {
		return models.Query{}, Exemplars{}, fmt.Errorf("hashed channel path %q: %w", path, ErrOtherStream)
	}
	if s := forDefinition(uid, sd.Definition); s.Path != path {
		return models.Query{}, Exemplars{}, fmt.Errorf("hashed channel path %q is not canonical: the stream's channel id %q fits", path, s.ID)
	}
	return q, e, nil
}
