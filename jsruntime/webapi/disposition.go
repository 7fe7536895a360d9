package webapi

// parseDisposition parses a part's Content-Disposition as workerd's
// grammar does: a type made of letters, digits, '_' and '-', then
// parameters `; name = "value"` whose values are quoted, non-empty, and
// may escape any character but LF with a backslash. Parsing stops at the
// first parameter that does not fit (it and what follows are ignored); the
// last of repeated parameters wins.
func parseDisposition(s string) (kind string, params map[string]string, ok bool) {
	d := dispositionParser{s: s}
	d.space()
	kind = d.ident()
	if kind == "" {
		return "", nil, false
	}
	d.space()
	params = map[string]string{}
	for {
		save := d.i
		name, value, ok := d.param()
		if !ok {
			d.i = save
			return kind, params, true
		}
		params[name] = value
	}
}

type dispositionParser struct {
	s string
	i int
}

func (d *dispositionParser) space() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\f', '\n', '\r', '\t', '\v':
			d.i++
		default:
			return
		}
	}
}

func (d *dispositionParser) ident() string {
	start := d.i
	for d.i < len(d.s) {
		c := d.s[d.i]
		if c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			d.i++
			continue
		}
		break
	}
	return d.s[start:d.i]
}

func (d *dispositionParser) char(c byte) bool {
	if d.i < len(d.s) && d.s[d.i] == c {
		d.i++
		return true
	}
	return false
}

// param reads `; name = "value"` and the whitespace after it.
func (d *dispositionParser) param() (name, value string, ok bool) {
	if !d.char(';') {
		return "", "", false
	}
	d.space()
	if name = d.ident(); name == "" {
		return "", "", false
	}
	d.space()
	if !d.char('=') {
		return "", "", false
	}
	d.space()
	if !d.char('"') {
		return "", "", false
	}
	var v []byte
	for d.i < len(d.s) {
		c := d.s[d.i]
		if c == '"' || c == '\n' {
			break
		}
		if c == '\\' {
			if d.i+1 >= len(d.s) || d.s[d.i+1] == '\n' {
				break
			}
			d.i++
			c = d.s[d.i]
		}
		v = append(v, c)
		d.i++
	}
	if len(v) == 0 || !d.char('"') {
		return "", "", false
	}
	d.space()
	return name, string(v), true
}
