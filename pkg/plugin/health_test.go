package plugin

import (
	"context"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestCheckHealth(t *testing.T) {
	tests := []struct {
		name, jsonData string
		want           backend.HealthStatus
		wantInMessage  []string
	}{
		{"defaults", "", backend.HealthStatusOk,
			[]string{"minTickInterval 10 ms", "maxPointsPerSecond 10000", "maxSeries 100", "maxMessageRate 20 messages/s", "value now is 8.82695216787548."}},
		{"custom settings", `{"minTickInterval":250,"maxPointsPerSecond":4,"maxSeries":3,"maxMessageRate":1}`, backend.HealthStatusOk,
			[]string{"minTickInterval 250 ms", "maxPointsPerSecond 4", "maxSeries 3", "maxMessageRate 1 messages/s"}},
		{"bad maxSeries", `{"maxSeries":0}`, backend.HealthStatusError,
			[]string{"maxSeries must be a whole number from 1 to 10000; got 0"}},
		{"bad setting", `{"minTickInterval":0}`, backend.HealthStatusError,
			[]string{"minTickInterval must be a whole number of milliseconds from 1 to 86400000; got 0", "Edit the setting"}},
		{"two bad settings", `{"minTickInterval":1.5,"maxPointsPerSecond":false}`, backend.HealthStatusError,
			[]string{"got 1.5", "maxPointsPerSecond must be a whole number from 1 to 10000000; got a boolean"}},
		{"not an object", `"x"`, backend.HealthStatusError,
			[]string{"the data source settings (jsonData) must be a JSON object; got a string"}},
		{"broken JSON", `{"minTickInterval":10,}`, backend.HealthStatusError,
			[]string{"the data source settings (jsonData) must be a JSON object; got invalid JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newTestDatasource(t, tt.jsonData)
			pinClock(d)
			res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.want {
				t.Errorf("status %v, want %v (%q)", res.Status, tt.want, res.Message)
			}
			for _, want := range tt.wantInMessage {
				if !strings.Contains(res.Message, want) {
					t.Errorf("message %q lacks %q", res.Message, want)
				}
			}
		})
	}
}
