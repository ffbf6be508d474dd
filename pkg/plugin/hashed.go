package plugin

import (
	"encoding/json"

	"github.com/tickstream/streaming/pkg/channel"
	"github.com/tickstream/streaming/pkg/models"
)

// streamSpec reads what a channel path names: a stream (e is the zero
// channel.Exemplars) or the exemplars of one (exemplars_live.go), from
// the path itself, or, for a hashed path, from the subscription's data,
// which Grafana hands to SubscribeStream and, the first subscriber's, to
// RunStream. Both check the data against the hash, so a channel serves
// only what its name commits to, on any instance, whether or not it
// answered the QueryData. An error wrapping channel.ErrOtherStream means
// the data is a valid definition of another channel.
func (d *Datasource) streamSpec(path string, data json.RawMessage) (q models.Query, e channel.Exemplars, err error) {
	if channel.IsHashed(path) {
		return channel.ParseHashed(d.uid, path, data)
	}
	return channel.ParseAny(path)
}
