package tickwatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"unsafe"
)

// dataOnlyPrefix starts every stream message after the schema: the SDK's
// data-only frame JSON, which pkg/wire writes byte for byte.
var dataOnlyPrefix = []byte(`{"data":{"values":[`)

// frameReader decodes live messages into buffers it reuses, so that a
// viewer's message costs no allocation: with a thousand viewers the
// decoding is most of what tickwatch does.
type frameReader struct {
	times  []int64
	values [][]float64
}

// read decodes one message: the time column in ms and the value columns,
// null as NaN. The results are valid until the next call.
func (r *frameReader) read(msg []byte) ([]int64, [][]float64, error) {
	rest, ok := bytes.CutPrefix(msg, dataOnlyPrefix)
	if !ok {
		return r.readSlow(msg)
	}
	r.times = r.times[:0]
	col := -1
	for {
		switch {
		case len(rest) == 0:
			return nil, nil, errors.New("the message ends inside its values")
		case rest[0] == '[':
			col++
			rest = rest[1:]
			if col > 0 {
				if col > len(r.values) {
					r.values = append(r.values, nil)
				}
				r.values[col-1] = r.values[col-1][:0]
			}
			continue
		case rest[0] == ']':
			rest = rest[1:]
			if len(rest) > 0 && rest[0] == ',' {
				rest = rest[1:]
				continue
			}
			if !bytes.Equal(rest, []byte("]}}")) {
				return r.readSlow(msg) // more than values (entities, say)
			}
			r.values = r.values[:max(col, 0)]
			return r.times, r.values, nil
		case col < 0:
			return nil, nil, errors.New("values is not an array of columns")
		}
		end := bytes.IndexAny(rest, ",]")
		if end < 0 {
			return nil, nil, errors.New("the message ends inside its values")
		}
		tok := rest[:end]
		v := math.NaN()
		if string(tok) != "null" {
			var err error
			// The token is not kept: a string over its bytes saves an allocation per value.
			if v, err = strconv.ParseFloat(unsafe.String(unsafe.SliceData(tok), len(tok)), 64); err != nil {
				return nil, nil, err
			}
		}
		if col == 0 {
			if math.IsNaN(v) {
				return nil, nil, errors.New("a null time")
			}
			r.times = append(r.times, int64(v))
		} else {
			r.values[col-1] = append(r.values[col-1], v)
		}
		rest = rest[end:]
		if rest[0] == ',' {
			rest = rest[1:]
		}
	}
}

// readSlow decodes any other frame JSON (one with a schema, or entities).
func (r *frameReader) readSlow(msg []byte) ([]int64, [][]float64, error) {
	var f frameJSON
	if err := json.Unmarshal(msg, &f); err != nil {
		return nil, nil, err
	}
	return f.rows()
}
