package wire

import (
	"strconv"
	"unicode/utf8"
)

// Row is one row of a message: tick K, and for a kind whose rows are per
// series (log lines) the series S; 0 when a row holds every series.
type Row struct {
	K, S int64
}

// Column appends the JSON of one cell: a number, a string (AppendString)
// or null (AppendNull).
type Column func(dst []byte, r Row) []byte

// AppendTable appends the data-only JSON of the frame whose fields are
// cols and whose rows are rows, as data.FrameToJSON(frame,
// data.IncludeDataOnly) writes it:
//
//	{"data":{"values":[[c0(r0),c0(r1),…],[c1(r0),…],…]}}
//
// A Column that writes what the SDK writes for its field type keeps the
// whole message byte for byte the SDK's; a kind's columns are built once
// per stream, so a message costs no allocation.
func AppendTable(dst []byte, rows []Row, cols []Column) []byte {
	dst = append(dst, `{"data":{"values":[`...)
	for c, col := range cols {
		if c > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '[')
		for i, r := range rows {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = col(dst, r)
		}
		dst = append(dst, ']')
	}
	return append(dst, "]}}"...)
}

// TimeColumn is the column of the rows' times, tick K × tick in Unix ms,
// as the SDK writes a time field.
func TimeColumn(tick int64) Column {
	return func(dst []byte, r Row) []byte {
		return strconv.AppendInt(dst, r.K*tick, 10)
	}
}

// AppendNull appends JSON null, which the SDK writes for a nullable
// field's nil.
func AppendNull(dst []byte) []byte {
	return append(dst, "null"...)
}

const hex = "0123456789abcdef"

// AppendString appends s as a JSON string the way the SDK's encoder
// (json-iterator, compatible with encoding/json) writes it: ", \ and the
// control characters escaped, <, > and & as \u003c, \u003e, \u0026,
// U+2028 and U+2029 as \u2028 and \u2029, and each byte of invalid UTF-8
// as \ufffd. ASCII text without those characters (state names, log lines)
// is copied as it is.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			switch r {
			case '\u2028':
				dst = append(dst, `\u2028`...)
			case '\u2029':
				dst = append(dst, `\u2029`...)
			default:
				dst = append(dst, `\ufffd`...)
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
