package plugin

import (
	"encoding/json"

	"github.com/tickstream/streaming/pkg/channel"
	"github.com/tickstream/streaming/pkg/models"
)

// streamQuery reads the stream a channel path names: from the path itself,
// or, for a hashed path, from the subscription's data, which Grafana hands
// to SubscribeStream and, the first subscriber's, to RunStream. Both check
// the data against the hash, so a channel serves only what its name
// commits to, on any instance, whether or not it answered the QueryData.
// An error wrapping channel.ErrOtherStream means the data is a valid
// definition of another stream.
func (d *Datasource) streamQuery(path string, data json.RawMessage) (models.Query, error) {
	if channel.IsHashed(path) {
		return channel.ParseHashed(d.uid, path, data)
	}
	return channel.Parse(path)
}
