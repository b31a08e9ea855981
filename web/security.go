package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// securityHeaders sets the headers every response carries: a Content
// Security Policy that allows no inline script (the page's data travels in
// a JSON script element, which is not executed) and scripts, connections
// and images from the site itself only; no MIME sniffing; no
// referrer sent to other sites, and frame-ancestors from the configuration,
// so course sites can embed the page.
func securityHeaders(frameAncestors []string) func(http.Handler) http.Handler {
	ancestors := "'self'"
	if len(frameAncestors) > 0 {
		ancestors += " " + strings.Join(frameAncestors, " ")
	}
	csp := strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'", // MathML alignment and the chart library set styles
		"img-src 'self' data: blob:",
		"connect-src 'self'",
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors " + ancestors,
	}, "; ")
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
			next.ServeHTTP(w, r)
		})
	}
}

// originChecker accepts a WebSocket upgrade from a page of the same origin as
// the request, or of one of the allowed origins (scheme://host[:port]), so
// that no other site can drive a visitor's browser to open streams.
func originChecker(allowed []string) func(r *http.Request) bool {
	return func(r *http.Request) bool {
		origin := r.Header.Get("Origin")
		if origin == "" {
			return true // not a browser: nothing to protect
		}
		u, err := url.Parse(origin)
		if err != nil {
			return false
		}
		if strings.EqualFold(u.Host, r.Host) {
			return true
		}
		return slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(a, u.Scheme+"://"+u.Host) })
	}
}
