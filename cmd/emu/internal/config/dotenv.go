package config

import (
	"regexp"
	"strings"
)

// dotenvPair is one KEY=VALUE of a dotenv file.
type dotenvPair struct {
	Key, Value string
	Line       int // 1-based line the pair starts on
}

// dotenvProblem is a line parseDotenv could not read.
type dotenvProblem struct {
	Line int
	Text string
}

var dotenvKey = regexp.MustCompile(`^[\w.-]+`)

// parseDotenv reads dotenv syntax as the dotenv package (which wrangler
// uses) does: `KEY=value` or `KEY: value`, an optional `export ` prefix,
// values in single, double or back quotes (which may span lines; in double
// quotes \n and \r become newline and carriage return), unquoted values
// trimmed and ended by `#`, comments and blank lines. dotenv skips any
// other line silently; parseDotenv returns it as a problem so the caller
// can say so.
func parseDotenv(src string) ([]dotenvPair, []dotenvProblem) {
	src = strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(src, "\n")
	var pairs []dotenvPair
	var bad []dotenvProblem
	for i := 0; i < len(lines); i++ {
		line := strings.TrimLeft(lines[i], " \t\f\v")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "export"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			line = strings.TrimLeft(rest, " \t")
		}
		key := dotenvKey.FindString(line)
		rest := line[len(key):]
		sep := strings.TrimLeft(rest, " \t")
		switch {
		case key == "":
			bad = append(bad, dotenvProblem{i + 1, lines[i]})
			continue
		case strings.HasPrefix(sep, "="):
			rest = sep[1:]
		case strings.HasPrefix(rest, ":") && len(rest) > 1 && (rest[1] == ' ' || rest[1] == '\t'):
			rest = rest[1:]
		default:
			bad = append(bad, dotenvProblem{i + 1, lines[i]})
			continue
		}
		value, used, ok := dotenvValue(rest, lines[i+1:])
		if !ok {
			bad = append(bad, dotenvProblem{i + 1, lines[i]})
			continue
		}
		pairs = append(pairs, dotenvPair{Key: key, Value: value, Line: i + 1})
		i += used
	}
	return pairs, bad
}

// dotenvValue reads the value after the separator; more are the lines
// after it, which a quoted value may run into. It returns the value, how
// many of those lines it used, and false if the text after a closing quote
// is not a comment (dotenv then reads the whole rest of the line unquoted).
func dotenvValue(rest string, more []string) (string, int, bool) {
	trimmed := strings.TrimLeft(rest, " \t")
	if trimmed != "" && strings.ContainsRune("'\"`", rune(trimmed[0])) {
		q := trimmed[0]
		text := trimmed[1:]
		used := 0
		for {
			if end := closingQuote(text, q); end >= 0 {
				after := strings.TrimLeft(text[end+1:], " \t")
				if after == "" || strings.HasPrefix(after, "#") {
					v := text[:end]
					if q == '"' {
						v = strings.NewReplacer(`\n`, "\n", `\r`, "\r").Replace(v)
					}
					return v, used, true
				}
				break // junk after the quote: read unquoted, as dotenv does
			}
			if used == len(more) {
				break // never closed: dotenv reads it unquoted
			}
			text += "\n" + more[used]
			used++
		}
	}
	v, _, _ := strings.Cut(rest, "#")
	return strings.TrimSpace(v), 0, true
}

// closingQuote finds the quote q ending a quoted value (a backslash before
// it escapes it), or -1.
func closingQuote(s string, q byte) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) && s[i+1] == q {
				i++
			}
		case q:
			return i
		}
	}
	return -1
}

// maxDotenvExpansion bounds the work and the bytes of expanding one file's
// references (see expandDotenv).
const maxDotenvExpansion = 1 << 20

var dotenvRef = regexp.MustCompile(`\\?\$(?:\{([^{}]+)\}|([A-Za-z_][A-Za-z0-9_]*))`)

// expandDotenv expands $NAME, ${NAME}, ${NAME:-default} and ${NAME-default}
// in the values, as dotenv-expand does for .env files: a name is looked up
// in lookup first (the process environment, when wrangler includes it),
// then among the values themselves (expanded in turn); unknown names become
// "". `\$` is a literal `$`. References that would make the values grow past
// maxDotenvExpansion bytes (or take as many steps), such as a chain of
// values each naming the next several times, expand to "" instead.
func expandDotenv(vals map[string]string, lookup func(string) (string, bool)) map[string]string {
	out := make(map[string]string, len(vals))
	budget := maxDotenvExpansion
	var resolve func(key string, depth int) string
	expand := func(s string, depth int) string {
		return dotenvRef.ReplaceAllStringFunc(s, func(m string) string {
			if strings.HasPrefix(m, `\`) {
				return m[1:]
			}
			if budget--; budget <= 0 {
				return ""
			}
			sub := dotenvRef.FindStringSubmatch(m)
			name, def, hasDef := sub[2], "", false
			if sub[1] != "" {
				name = sub[1]
				if n, d, ok := strings.Cut(name, ":-"); ok {
					name, def, hasDef = n, d, true
				} else if n, d, ok := strings.Cut(name, "-"); ok {
					name, def, hasDef = n, d, true
				}
			}
			v := ""
			if lv, ok := lookup(name); ok {
				v = lv
			} else if _, ok := vals[name]; ok && depth < 16 {
				v = resolve(name, depth+1)
			}
			if v == "" && hasDef {
				v = def
			}
			if budget -= len(v); budget <= 0 {
				return ""
			}
			return v
		})
	}
	resolve = func(key string, depth int) string {
		if v, ok := out[key]; ok {
			return v
		}
		return expand(vals[key], depth)
	}
	for k := range vals {
		if v, ok := lookup(k); ok {
			out[k] = v // the process environment wins, as in dotenv-expand
			continue
		}
		out[k] = resolve(k, 0)
	}
	return out
}
