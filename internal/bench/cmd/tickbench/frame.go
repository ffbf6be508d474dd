package main

import (
	"bytes"
	"errors"
	"strconv"
)

// frameRows is what the driver needs from one stream message: the time of
// each row (ms since the epoch, plus the sub-millisecond nanos the SDK
// writes apart) and how many value fields each row has.
type frameRows struct {
	times  []int64 // ms
	nanos  []int64 // ns within the ms; nil when the frame has none
	series int     // fields after the first ("time") one
}

var (
	keyData   = []byte(`"data":`)
	keyValues = []byte(`"values":[`)
	keyNanos  = []byte(`"nanos":[`)
)

// parseFrame reads the rows of a frame in the SDK's JSON form, with or
// without schema, without decoding it: the host must stay cheap next to
// the plugin it measures. It assumes the first field is the time field,
// which holds for every frame the bench's plugins send. out is reused.
func parseFrame(msg []byte, out *frameRows) error {
	out.times = out.times[:0]
	out.nanos = out.nanos[:0]
	out.series = 0
	i := bytes.Index(msg, keyData)
	if i < 0 {
		return errors.New("frame has no data")
	}
	d := msg[i:]
	j := bytes.Index(d, keyValues)
	if j < 0 {
		return errors.New("frame data has no values")
	}
	p := j + len(keyValues)
	// First array: the times.
	if p >= len(d) || d[p] != '[' {
		return errors.New("values: want an array of arrays")
	}
	var err error
	if out.times, p, err = readInts(d, p+1, out.times); err != nil {
		return err
	}
	// The other arrays: count them, skip their contents.
	for p < len(d) && d[p] == ',' {
		p++
		k := bytes.IndexByte(d[p:], ']')
		if k < 0 {
			return errors.New("values: unterminated array")
		}
		p += k + 1
		out.series++
	}
	if n := bytes.Index(d[p:], keyNanos); n >= 0 {
		q := p + n + len(keyNanos)
		if q < len(d) && d[q] == '[' {
			if out.nanos, _, err = readInts(d, q+1, out.nanos); err != nil {
				return err
			}
			if len(out.nanos) != len(out.times) {
				out.nanos = out.nanos[:0]
			}
		}
	}
	return nil
}

// readInts reads comma-separated integers from d[p:] up to the closing
// ']' and returns the position after it.
func readInts(d []byte, p int, dst []int64) ([]int64, int, error) {
	for p < len(d) {
		if d[p] == ']' {
			return dst, p + 1, nil
		}
		if d[p] == ',' {
			p++
			continue
		}
		q := p
		for q < len(d) && d[q] != ',' && d[q] != ']' {
			q++
		}
		n, err := strconv.ParseInt(string(d[p:q]), 10, 64)
		if err != nil {
			// Times are integers; a float here would be a format change.
			f, ferr := strconv.ParseFloat(string(d[p:q]), 64)
			if ferr != nil {
				return dst, q, err
			}
			n = int64(f)
		}
		dst = append(dst, n)
		p = q
	}
	return dst, p, errors.New("values: unterminated array")
}
