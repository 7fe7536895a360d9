package inspector

import (
	"net"
	"net/http"
	"strings"
)

// refusal says why a request may not use the inspector ("" if it may).
//
// The inspector reads every object's storage and can wipe it, so it
// answers loopback clients only (unless --inspector opened it to the
// network), only under a Host that no DNS answer can point elsewhere
// (DNS rebinding: a page from evil.example whose name then resolves to
// 127.0.0.1 must not read the API), and changes state only for POSTs from
// its own origin (CSRF).
func (h *Handler) refusal(r *http.Request, legacy bool) (int, string) {
	if !h.opts.AnyClient || legacy {
		if ip := net.ParseIP(clientIP(r)); ip == nil || !ip.IsLoopback() {
			return http.StatusForbidden, "emu's dev controls answer loopback clients only"
		}
	}
	if !h.allowedHost(r.Host) {
		return http.StatusForbidden, "emu's dev controls answer requests for localhost or the --ip address only (Host " + quote(r.Host) + " refused: DNS rebinding protection)"
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return 0, ""
	}
	origin := r.Header.Get("Origin")
	switch {
	case origin == "" && legacy:
		// Not from a browser page (browsers send Origin with every POST a
		// page makes): scripts and tests, as before the inspector.
	case origin == "":
		return http.StatusForbidden, "actions need an Origin header naming this server (http://" + r.Host + ")"
	case !strings.EqualFold(origin, "http://"+r.Host):
		return http.StatusForbidden, "cross-origin request refused (Origin " + quote(origin) + ")"
	}
	return 0, ""
}

// allowedHost accepts "localhost" names, loopback addresses and the address
// emu listens on; when it listens on every address (0.0.0.0 or ::), any IP
// address, since no DNS is involved in reaching one.
func (h *Handler) allowedHost(hostport string) bool {
	host := hostport
	if hh, _, err := net.SplitHostPort(hostport); err == nil {
		host = hh
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "" {
		return false
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	listen := net.ParseIP(h.opts.IP)
	return ip.IsLoopback() || listen != nil && (ip.Equal(listen) || listen.IsUnspecified())
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// quote shows an untrusted header value in a message, bounded.
func quote(s string) string {
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return `"` + strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s) + `"`
}

// Loopback reports whether ip (an --ip value) is a loopback address or
// "localhost": the inspector is on by default only then.
func Loopback(ip string) bool {
	if strings.EqualFold(ip, "localhost") {
		return true
	}
	p := net.ParseIP(strings.Trim(ip, "[]"))
	return p != nil && p.IsLoopback()
}
