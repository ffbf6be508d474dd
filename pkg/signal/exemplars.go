package signal

// hexDigits are the lowercase hex digits of a trace ID.
const hexDigits = "0123456789abcdef"

// AppendTraceID appends the trace ID of series i's point at tick k: 32
// lowercase hex digits (128 bits, the W3C trace-context form that Tempo
// and Jaeger read), a pure function of the seed, the series and the tick,
// so that every call, refresh and Grafana instance links the same point
// to the same trace.
func (g *Generator) AppendTraceID(dst []byte, i, k int64) []byte {
	s := start(mix(SeriesSeed(g.g.seed, i) ^ traceSalt))
	hi := mix(s + bits(k)*golden)
	lo := mix(hi + golden)
	for _, h := range [2]uint64{hi, lo} {
		for shift := 60; shift >= 0; shift -= 4 {
			dst = append(dst, hexDigits[h>>uint(shift)&0xf])
		}
	}
	return dst
}
