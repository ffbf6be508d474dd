package wire

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// TestAppendStringIsTheSDKs compares AppendString with the SDK's encoding
// of a string field, for every ASCII character and the texts Tickstream
// writes.
func TestAppendStringIsTheSDKs(t *testing.T) {
	texts := []string{"", "OK", "WARN_2", "a-b", `say "hi"`, `back\slash`, "<b>&amp;</b>", "tab\there", "line\nfeed\r", "é ü 日本", "line\u2028sep\u2029para", "bad \xff\xfe utf-8", "cut \xe6\x97", "emoji 😀"}
	for c := range 0x80 {
		texts = append(texts, "x"+string(rune(c))+"y")
	}
	rng := rand.New(rand.NewPCG(7, 9)) // arbitrary bytes: any text a label could hold
	for range 2000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		texts = append(texts, string(b))
	}
	for _, s := range texts {
		frame := data.NewFrame("response", data.NewField("value", nil, []string{s}))
		want, err := data.FrameToJSON(frame, data.IncludeDataOnly)
		if err != nil {
			t.Fatal(err)
		}
		got := AppendTable(nil, []Row{{}}, []Column{func(dst []byte, _ Row) []byte { return AppendString(dst, s) }})
		if !bytes.Equal(got, want) {
			t.Errorf("%q:\n got %s\nwant %s", s, got, want)
		}
	}
}

// TestAppendTableIsTheSDKs compares a table of the column types the kinds
// write (time, nullable float64, nullable string, string, JSON labels)
// with the SDK's frame JSON.
func TestAppendTableIsTheSDKs(t *testing.T) {
	rows := []Row{{K: 10, S: 1}, {K: 11, S: 2}, {K: 13, S: 1}, {K: -4, S: 3}}
	const tick = 1000
	times := make([]time.Time, len(rows))
	floats := make([]*float64, len(rows))
	states := make([]*string, len(rows))
	bodies := make([]string, len(rows))
	labels := make([]json.RawMessage, len(rows))
	for i, r := range rows {
		times[i] = time.UnixMilli(r.K * tick).UTC()
		if r.S != 2 {
			v := float64(r.K) / 3
			floats[i] = &v
			s := "S" + string(rune('0'+r.S))
			states[i] = &s
		}
		bodies[i] = "GET /x status=200 latency_ms=1.5"
		labels[i] = json.RawMessage(`{"series":"` + string(rune('0'+r.S)) + `"}`)
	}
	frame := data.NewFrame("response",
		data.NewField("time", nil, times), data.NewField("value", nil, floats), data.NewField("state", nil, states),
		data.NewField("body", nil, bodies), data.NewField("labels", nil, labels))
	want, err := data.FrameToJSON(frame, data.IncludeDataOnly)
	if err != nil {
		t.Fatal(err)
	}
	got := AppendTable(nil, rows, []Column{
		TimeColumn(tick),
		func(dst []byte, r Row) []byte {
			if r.S == 2 {
				return AppendNull(dst)
			}
			return AppendFloat(dst, float64(r.K)/3)
		},
		func(dst []byte, r Row) []byte {
			if r.S == 2 {
				return AppendNull(dst)
			}
			return AppendString(dst, "S"+string(rune('0'+r.S)))
		},
		func(dst []byte, _ Row) []byte { return AppendString(dst, "GET /x status=200 latency_ms=1.5") },
		func(dst []byte, r Row) []byte {
			return append(append(append(dst, `{"series":"`...), byte('0'+r.S)), `"}`...)
		},
	})
	if !bytes.Equal(got, want) {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
}
