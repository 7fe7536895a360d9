package config

import (
	"fmt"
	"strings"
	"unicode"
)

// InferDurableObjects completes a zero-config Worker once its bundle is built: classNames are
// the exported classes used as Durable Objects. Each class without a binding gets one named
// BindingName(class), SQLite-backed, and an Inferred note. With a wrangler file it does nothing:
// the file's bindings are the whole truth, as in wrangler. Calling it again with the same names
// adds nothing.
func (c *Config) InferDurableObjects(classNames []string) {
	if c.Path != "" {
		return
	}
next:
	for _, cls := range classNames {
		name := BindingName(cls)
		if name == "" {
			continue
		}
		for _, b := range c.DurableObjects {
			if b.ClassName == cls {
				continue next
			}
			if b.Name == name {
				c.Warnings = append(c.Warnings, fmt.Sprintf("Durable Object class %s would be bound as env.%s, "+
					"which class %s already uses; add a wrangler.toml to name the bindings", cls, name, b.ClassName))
				continue next
			}
		}
		c.DurableObjects = append(c.DurableObjects, DurableObjectBinding{Name: name, ClassName: cls, SQLite: true})
		c.Inferred = append(c.Inferred, fmt.Sprintf("env.%s = Durable Object %s (SQLite)", name, cls))
	}
}

// BindingName returns the SCREAMING_SNAKE_CASE binding name for a class, the convention of
// Cloudflare's docs: ChatRoom -> CHAT_ROOM, HTMLParser -> HTML_PARSER, and WebSocket stays one
// word, so WebSocketHibernationServer -> WEBSOCKET_HIBERNATION_SERVER.
func BindingName(className string) string {
	r := []rune(className)
	var words []string
	for i := 0; i < len(r); {
		if !isWordRune(r[i]) {
			i++
			continue
		}
		if n := compoundAt(r[i:]); n > 0 {
			words = append(words, string(r[i:i+n]))
			i += n
			continue
		}
		j := i + 1
		if unicode.IsUpper(r[i]) && j < len(r) && unicode.IsUpper(r[j]) {
			// An acronym runs to the last capital before a lower-case letter: HTMLParser.
			for j < len(r) && (unicode.IsUpper(r[j]) || unicode.IsDigit(r[j])) {
				j++
			}
			if j < len(r) && unicode.IsLower(r[j]) && unicode.IsUpper(r[j-1]) {
				j--
			}
		} else {
			for j < len(r) && (unicode.IsLower(r[j]) || unicode.IsDigit(r[j])) {
				j++
			}
		}
		words = append(words, string(r[i:j]))
		i = j
	}
	return strings.ToUpper(strings.Join(words, "_"))
}

// compoundAt returns the length of a word spelled in camel case but written as one word in
// binding names (WebSocket -> WEBSOCKET) at the start of r, or 0.
func compoundAt(r []rune) int {
	for _, w := range []string{"WebSockets", "WebSocket", "JavaScript", "TypeScript", "GitHub", "GraphQL", "OAuth", "SQLite", "MySQL", "PostgreSQL", "IPv4", "IPv6"} {
		n := len(w) // all ASCII
		if len(r) >= n && string(r[:n]) == w && (len(r) == n || !unicode.IsLower(r[n])) {
			return n
		}
	}
	return 0
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
