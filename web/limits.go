package web

import (
	"cmp"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/go-chi/httprate"
)

// Defaults of the abuse limits. A whole lecture hall often shares one campus
// NAT address, so one address may hold thousands of WebSockets and make
// hundreds of API requests a minute.
const (
	DefaultRequestsPerMinute   = 600
	DefaultWebSocketsPerClient = 2000
	DefaultMaxWebSockets       = 10000
	DefaultMaxInFlight         = 2000
	// DefaultMaxSurveys is the surveys (basins, sweeps, tunings) computed at
	// once: each already uses every core, so more would only share them.
	DefaultMaxSurveys = 4
	// DefaultSurveyWait is how long a survey waits for a slot before it is
	// refused.
	DefaultSurveyWait = 10 * time.Second
	// retryAfter is what a refused client is told to wait, in seconds.
	retryAfter = "5"
)

// Limits bound what clients may take of the server. Zero values take the
// defaults above; a negative value turns that limit off.
type Limits struct {
	// RequestsPerMinute caps the API requests of one client address.
	RequestsPerMinute int
	// WebSocketsPerClient caps the WebSockets one client address holds open.
	WebSocketsPerClient int
	// MaxWebSockets caps the WebSockets open on the server.
	MaxWebSockets int
	// MaxInFlight caps the HTTP requests being served at once.
	MaxInFlight int
	// MaxSurveys caps the surveys computed at once; more wait their turn for
	// up to SurveyWait, then are refused.
	MaxSurveys int
	SurveyWait time.Duration
}

func (l Limits) withDefaults() Limits {
	return Limits{
		RequestsPerMinute:   cmp.Or(l.RequestsPerMinute, DefaultRequestsPerMinute),
		WebSocketsPerClient: cmp.Or(l.WebSocketsPerClient, DefaultWebSocketsPerClient),
		MaxWebSockets:       cmp.Or(l.MaxWebSockets, DefaultMaxWebSockets),
		MaxInFlight:         cmp.Or(l.MaxInFlight, DefaultMaxInFlight),
		MaxSurveys:          cmp.Or(l.MaxSurveys, DefaultMaxSurveys),
		SurveyWait:          cmp.Or(l.SurveyWait, DefaultSurveyWait),
	}
}

// rateLimit limits the requests of each client address per minute, with a
// 429, a Retry-After and a JSON error.
func rateLimit(perMinute int) func(http.Handler) http.Handler {
	if perMinute < 0 {
		return func(next http.Handler) http.Handler { return next }
	}
	return httprate.Limit(perMinute, time.Minute,
		httprate.WithKeyFuncs(httprate.KeyByIP),
		httprate.WithLimitHandler(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "60")
			writeError(w, http.StatusTooManyRequests, "too many requests from this address: at most "+strconv.Itoa(perMinute)+" a minute; try again shortly")
		}))
}

// capInFlight answers 503 with Retry-After while max requests are already
// being served.
func capInFlight(max int) func(http.Handler) http.Handler {
	if max < 0 {
		return func(next http.Handler) http.Handler { return next }
	}
	slots := make(chan struct{}, max)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
				next.ServeHTTP(w, r)
			default:
				w.Header().Set("Retry-After", retryAfter)
				writeError(w, http.StatusServiceUnavailable, "the server is at capacity; try again in a few seconds")
			}
		})
	}
}

// capSurveys lets max surveys compute at once. A survey beyond them waits
// for a slot for up to wait (a class pressing "Basins" together is served in
// turns), then gets a 503 with Retry-After, counted as rejected for reason
// "surveys"; a client that leaves while waiting frees its place at once.
func capSurveys(max int, wait time.Duration) func(http.Handler) http.Handler {
	if max < 0 {
		return func(next http.Handler) http.Handler { return next }
	}
	slots := make(chan struct{}, max)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			timer := time.NewTimer(wait)
			defer timer.Stop()
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
				next.ServeHTTP(w, r)
			case <-timer.C:
				refuse(r, "surveys")
				w.Header().Set("Retry-After", retryAfter)
				writeError(w, http.StatusServiceUnavailable, "survey: "+strconv.Itoa(max)+" surveys are already being computed, the most at once; try again in a few seconds")
			case <-r.Context().Done():
			}
		})
	}
}

// socketCount tracks the open WebSockets, in all and by client address.
type socketCount struct {
	mu        sync.Mutex
	total     int
	byAddress map[string]int
}

// acquire takes a WebSocket slot for addr, or reports which limit refuses
// it: "server" or "address".
func (c *socketCount) acquire(addr string, l Limits) (refused string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l.MaxWebSockets >= 0 && c.total >= l.MaxWebSockets {
		return "server"
	}
	if l.WebSocketsPerClient >= 0 && c.byAddress[addr] >= l.WebSocketsPerClient {
		return "address"
	}
	if c.byAddress == nil {
		c.byAddress = map[string]int{}
	}
	c.total++
	c.byAddress[addr]++
	return ""
}

func (c *socketCount) release(addr string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total--
	if c.byAddress[addr]--; c.byAddress[addr] == 0 {
		delete(c.byAddress, addr)
	}
}

// clientAddress is the address a request comes from, without its port.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
