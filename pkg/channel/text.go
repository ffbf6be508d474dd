package channel

import (
	"encoding/base64"
	"errors"
	"unicode/utf8"
)

// textEncoding writes arbitrary text into a path segment: base64url
// without padding of the UTF-8 bytes. Its alphabet (A-Z a-z 0-9 - _) is
// within what Grafana allows in a path, and with Strict decoding every
// text has exactly one encoding, so a path still parses only when it is
// the one Format writes.
var textEncoding = base64.RawURLEncoding.Strict()

// appendText appends the encoding of text.
func appendText(dst []byte, text string) []byte {
	return textEncoding.AppendEncode(dst, []byte(text))
}

// parseText decodes a segment written by appendText. It refuses padding,
// characters outside the alphabet, non-zero trailing bits (a second
// spelling of the same bytes), an empty segment (a text field holding its
// default is left out) and bytes that are not UTF-8 text.
func parseText(segment string) (string, error) {
	if segment == "" {
		return "", errors.New("is empty; a text field holding its default has no segment")
	}
	raw, err := textEncoding.DecodeString(segment)
	if err != nil {
		return "", errors.New("is not base64url without padding")
	}
	if !utf8.Valid(raw) {
		return "", errors.New("does not decode to UTF-8 text")
	}
	return string(raw), nil
}
