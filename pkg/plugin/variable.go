package plugin

import (
	"encoding/json"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
)

// labelValues answers a variable query (queryType labelValues): one frame
// with one string field "text", the values of the label labelKey across
// the series of q, in series order. The frontend's variable support reads
// it, so label templating stays in Go only.
func labelValues(raw json.RawMessage, q models.Query) backend.DataResponse {
	key, errs := models.ParseLabelKey(raw, q)
	if errs != nil {
		return userError(models.JoinMessages(errs))
	}
	frame := data.NewFrame(frameName, data.NewField("text", nil, q.LabelValues(key)))
	return backend.DataResponse{Frames: []*data.Frame{frame}}
}
