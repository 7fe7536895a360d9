package webapi

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"
)

// TextDecoder's state lives in Go: a *textDecoder per JS TextDecoder, held
// by the JS object as an opaque handle. The decoders follow workerd's
// api/encoding.c++:
//
//   - "utf-8" is decoded here (decodeUTF8), with workerd's fast path: a
//     chunk of ASCII bytes with nothing pending is returned as it is.
//   - "windows-1252" (every latin1 and ascii label) maps each byte to the
//     code point of the same value, as workerd's AsciiDecoder does: no
//     table, no BOM handling, never fatal.
//   - "utf-16le" has workerd's fast path (an even chunk with nothing pending,
//     not ending in a lead surrogate unless flushing, is taken as code units
//     as they are, lone surrogates kept); otherwise it and "utf-16be" turn
//     unpaired surrogates into U+FFFD as ICU does.
//   - every other encoding of the WHATWG Encoding Standard is decoded by
//     golang.org/x/text (htmlindex), streaming through its transformer.
//
// The BOM (U+FEFF) that starts the output of a Unicode encoding is dropped
// unless ignoreBOM; workerd's ASCII fast path does not count as the start.
type textDecoder struct {
	name      string // the encoding's WHATWG name
	fatal     bool
	ignoreBOM bool
	bomSeen   bool
	pending   []byte                // bytes of an incomplete sequence held back by a streaming decode
	dec       transform.Transformer // the x/text decoder, for the legacy encodings
}

// errDecode is a fatal decoder's error; encoding.js throws workerd's
// TypeError "Failed to decode input." for it.
var errDecode = errors.New("failed to decode input")

// labelAliases are labels workerd accepts that x/text's index may not know.
var labelAliases = map[string]string{
	"unicode11utf8":   "utf-8",
	"unicode20utf8":   "utf-8",
	"x-unicode20utf8": "utf-8",
	"csunicode":       "utf-16le",
	"iso-10646-ucs-2": "utf-16le",
	"ucs-2":           "utf-16le",
	"unicode":         "utf-16le",
	"unicodefeff":     "utf-16le",
	"unicodefffe":     "utf-16be",
	"csiso2022kr":     "replacement",
	"iso-2022-kr":     "replacement",
	"hz-gb-2312":      "replacement",
	"iso-2022-cn":     "replacement",
	"iso-2022-cn-ext": "replacement",
	"x-mac-ukrainian": "x-mac-cyrillic",
}

// encodingName returns the WHATWG name of the encoding label names (ASCII
// whitespace around it ignored, case-insensitive), or "" when TextDecoder
// rejects it: an unknown label, "replacement" or "x-user-defined".
func encodingName(label string) string {
	l := strings.ToLower(strings.Trim(label, "\t\n\f\r "))
	name, ok := labelAliases[l]
	if !ok {
		enc, err := htmlindex.Get(l)
		if err != nil {
			return ""
		}
		if name, err = htmlindex.Name(enc); err != nil {
			return ""
		}
	}
	switch name {
	case "replacement", "x-user-defined":
		return ""
	}
	return name
}

// newTextDecoder returns a decoder for the WHATWG encoding name (see
// encodingName).
func newTextDecoder(name string, fatal, ignoreBOM bool) (*textDecoder, error) {
	d := &textDecoder{name: name, fatal: fatal, ignoreBOM: ignoreBOM}
	switch name {
	case "utf-8", "windows-1252", "utf-16le", "utf-16be":
		return d, nil
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		return nil, err
	}
	d.dec = enc.NewDecoder()
	return d, nil
}

// decode decodes b (with the bytes held back from the previous streaming
// call before it). Unless stream, the decoder is reset afterwards, as it is
// after a fatal error. The result is a JS string value.
func (d *textDecoder) decode(rt *goja.Runtime, b []byte, stream bool) (goja.Value, error) {
	v, err := d.decodeChunk(rt, b, !stream)
	if err != nil || !stream {
		d.reset()
	}
	return v, err
}

func (d *textDecoder) reset() {
	d.pending = nil
	d.bomSeen = false
	if d.dec != nil {
		d.dec.Reset()
	}
}

func (d *textDecoder) decodeChunk(rt *goja.Runtime, b []byte, flush bool) (goja.Value, error) {
	switch d.name {
	case "windows-1252":
		return rt.ToValue(latin1(b)), nil
	case "utf-8":
		s, err := d.decodeUTF8(b, flush)
		return rt.ToValue(s), err
	case "utf-16le", "utf-16be":
		return d.decodeUTF16(b, flush)
	}
	s, err := d.decodeLegacy(b, flush)
	return rt.ToValue(s), err
}

func (d *textDecoder) decodeUTF8(b []byte, flush bool) (string, error) {
	if len(d.pending) == 0 && len(b) > 0 && isASCII(b) {
		return string(b), nil // workerd's fast path
	}
	if len(d.pending) > 0 {
		b = append(d.pending, b...)
		d.pending = nil
	}
	if !flush {
		if keep := incompleteUTF8Tail(b); keep > 0 {
			d.pending = append([]byte(nil), b[len(b)-keep:]...)
			b = b[:len(b)-keep]
		}
	}
	s, ok := decodeUTF8(b, d.fatal)
	if !ok {
		return "", errDecode
	}
	return d.stripBOM(s), nil
}

// stripBOM drops the BOM at the start of the output (once per stream).
func (d *textDecoder) stripBOM(s string) string {
	if s == "" || d.ignoreBOM || d.bomSeen {
		return s
	}
	d.bomSeen = true
	return strings.TrimPrefix(s, "\uFEFF")
}

// incompleteUTF8Tail returns how many bytes at the end of b start a UTF-8
// sequence that is not complete yet (kept for the next streaming decode).
func incompleteUTF8Tail(b []byte) int {
	n := len(b)
	for back := 1; back <= 3 && back <= n; back++ {
		c := b[n-back]
		if c&0xc0 == 0x80 {
			continue // a continuation byte
		}
		need := 1
		switch {
		case c >= 0xf0 && c <= 0xf4:
			need = 4
		case c >= 0xe0 && c <= 0xef:
			need = 3
		case c >= 0xc2 && c <= 0xdf:
			need = 2
		}
		if need > back && !utf8.FullRune(b[n-back:]) && validPrefix(b[n-back:]) {
			return back
		}
		return 0
	}
	return 0
}

// validPrefix reports whether p (a lead byte and continuation bytes) can
// still become a valid sequence: the second byte's range depends on the lead.
func validPrefix(p []byte) bool {
	if len(p) < 2 {
		return true
	}
	lo, hi := byte(0x80), byte(0xbf)
	switch p[0] {
	case 0xe0:
		lo = 0xa0
	case 0xed:
		hi = 0x9f
	case 0xf0:
		lo = 0x90
	case 0xf4:
		hi = 0x8f
	}
	return p[1] >= lo && p[1] <= hi
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func (d *textDecoder) decodeUTF16(b []byte, flush bool) (goja.Value, error) {
	le := d.name == "utf-16le"
	if le && len(d.pending) == 0 && len(b) > 0 && len(b)%2 == 0 {
		last := uint16(b[len(b)-2]) | uint16(b[len(b)-1])<<8
		if flush || last < 0xd800 || last > 0xdbff {
			// workerd's fast path: the code units as they are.
			units := make([]uint16, len(b)/2)
			for i := range units {
				units[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
			}
			if !d.ignoreBOM && !d.bomSeen {
				d.bomSeen = true
				if units[0] == 0xfeff {
					units = units[1:]
				}
			}
			return goja.StringFromUTF16(units), nil
		}
	}
	if len(d.pending) > 0 {
		b = append(d.pending, b...)
		d.pending = nil
	}
	n := len(b) &^ 1
	unit := func(i int) uint16 {
		if le {
			return uint16(b[i]) | uint16(b[i+1])<<8
		}
		return uint16(b[i])<<8 | uint16(b[i+1])
	}
	if !flush && n >= 2 {
		if u := unit(n - 2); u >= 0xd800 && u <= 0xdbff {
			n -= 2 // a lead surrogate waits for its trail
		}
	}
	if !flush && n < len(b) {
		d.pending = append([]byte(nil), b[n:]...)
	}
	units := make([]uint16, 0, n/2+1)
	for i := 0; i < n; i += 2 {
		u := unit(i)
		switch {
		case u >= 0xd800 && u <= 0xdbff && i+3 < n && isTrail(unit(i+2)):
			units = append(units, u, unit(i+2))
			i += 2
		case u >= 0xd800 && u <= 0xdfff:
			if d.fatal {
				return nil, errDecode
			}
			units = append(units, 0xfffd)
		default:
			units = append(units, u)
		}
	}
	if flush && n < len(b) {
		if d.fatal {
			return nil, errDecode
		}
		units = append(units, 0xfffd)
	}
	if len(units) > 0 && !d.ignoreBOM && !d.bomSeen {
		d.bomSeen = true
		if units[0] == 0xfeff {
			units = units[1:]
		}
	}
	return goja.StringFromUTF16(units), nil
}

func isTrail(u uint16) bool { return u >= 0xdc00 && u <= 0xdfff }

// decodeLegacy decodes with x/text. Its decoders write U+FFFD for malformed
// input; a fatal decoder fails when the output has a U+FFFD the input did
// not encode (only gb18030 can encode it: 84 31 A4 37).
func (d *textDecoder) decodeLegacy(b []byte, flush bool) (string, error) {
	if len(d.pending) > 0 {
		b = append(d.pending, b...)
		d.pending = nil
	}
	out := make([]byte, 0, len(b)*2+8)
	buf := make([]byte, 4096)
	src := b
	for {
		nDst, nSrc, err := d.dec.Transform(buf, src, flush)
		out = append(out, buf[:nDst]...)
		src = src[nSrc:]
		if err == nil {
			break
		}
		if errors.Is(err, transform.ErrShortDst) {
			continue
		}
		if errors.Is(err, transform.ErrShortSrc) && !flush {
			d.pending = append([]byte(nil), src...)
			break
		}
		if d.fatal {
			return "", errDecode
		}
		// Anything else (not expected from x/text's decoders): the rest is
		// malformed.
		out = append(out, "\uFFFD"...)
		break
	}
	if d.fatal {
		got := bytes.Count(out, []byte("\uFFFD"))
		if got > 0 && (d.name != "gb18030" || got != bytes.Count(b, []byte{0x84, 0x31, 0xa4, 0x37})) {
			return "", errDecode
		}
	}
	return string(out), nil
}
