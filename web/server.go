// Package web is Saddlepoint's HTTP layer: the chi router, the JSON API, the
// WebSocket session that streams trajectories, the page and the embedded
// static assets. Handlers decode and validate, call the engine and encode;
// the math lives in packages surfaces, engine and contour.
package web

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/gorilla/websocket"

	"saddlepoint/web/static"
)

// Config configures the server. The zero Config is a working server.
type Config struct {
	// Logger receives the server's logs; nil means slog.Default().
	Logger *slog.Logger
	// StaticDir, when set, serves the static assets from this directory on
	// disk instead of the embedded copy, for editing the client code.
	StaticDir string
	// AllowedOrigins are the origins (scheme://host[:port]) besides the
	// server's own whose pages may open the WebSocket: sites that embed it.
	AllowedOrigins []string
	// FrameAncestors are the origins allowed to frame the page, as CSP
	// frame-ancestors sources, besides the server itself.
	FrameAncestors []string
	// Limits bound what clients may take; the zero Limits are the defaults.
	Limits Limits
	// RunBudget is how long one optimizer run may compute before it ends
	// with status budget; 0 means DefaultRunBudget.
	RunBudget time.Duration
	// IdleTimeout closes a WebSocket whose client has been silent this
	// long with no run in flight; 0 means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// PlotCacheSize is how many contour plots, and how many pages, the
	// server keeps to serve again; 0 means DefaultPlotCacheSize and a
	// negative size keeps none.
	PlotCacheSize int
	// TrustProxy takes the client's address from X-Forwarded-For or
	// X-Real-IP, as set by a reverse proxy in front of the server. Leave it
	// off when clients reach the server directly, or they could pick their
	// address and escape the per-address limits.
	TrustProxy bool
}

// Server is Saddlepoint's HTTP handler.
type Server struct {
	router   chi.Router
	log      *slog.Logger
	metrics  *metrics
	upgrader websocket.Upgrader
	limits   Limits
	sockets  socketCount
	plots    *plotCache
	pages    *lru[*renderedPage]

	idleTimeout time.Duration
	runBudget   time.Duration
	// steppers holds a token for each run stepping a batch now, at most one
	// per core (session.step), as many as GOMAXPROCS when the server was
	// made.
	steppers chan struct{}

	closing   chan struct{} // closed when the server starts shutting down
	closeOnce sync.Once
	draining  atomic.Bool // true once shutting down: /readyz fails
}

// NewServer returns the HTTP handler with every route mounted.
func NewServer(cfg Config) *Server {
	s := &Server{log: cfg.Logger, closing: make(chan struct{}), metrics: newMetrics(), limits: cfg.Limits.withDefaults()}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.plots = newPlotCache(cfg.PlotCacheSize, s.metrics)
	s.pages = newPageCache(cfg.PlotCacheSize, s.metrics)
	s.runBudget = cfg.RunBudget
	if s.runBudget <= 0 {
		s.runBudget = DefaultRunBudget
	}
	s.steppers = make(chan struct{}, runtime.GOMAXPROCS(0))
	s.idleTimeout = cfg.IdleTimeout
	if s.idleTimeout <= 0 {
		s.idleTimeout = DefaultIdleTimeout
	}
	s.upgrader = websocket.Upgrader{
		ReadBufferSize: 4096,
		// A points message in a binary frame, at most about 40 KiB, goes out as
		// one frame in one system call; the buffers are shared, each held only
		// while a message is written.
		WriteBufferSize: 64 << 10,
		WriteBufferPool: new(sync.Pool),
		CheckOrigin:     originChecker(cfg.AllowedOrigins),
	}
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	if cfg.TrustProxy {
		r.Use(middleware.RealIP)
	}
	r.Use(s.metrics.countRequests)
	r.Use(s.recoverPanics)
	r.Use(securityHeaders(cfg.FrameAncestors))

	r.Get("/healthz", s.handleHealth)
	r.Get("/readyz", s.handleReady)
	r.Method(http.MethodGet, "/metrics", s.metrics.handler())
	r.Get("/ws", s.handleWebSocket)
	r.Group(func(r chi.Router) {
		r.Use(capInFlight(s.limits.MaxInFlight))
		r.Use(middleware.Compress(5))
		r.Use(rateLimitAPI(rateLimit(s.limits.RequestsPerMinute)))
		r.Get("/", s.cachedPage(s.handlePage))
		r.Get("/plot", s.handlePlot)
		r.Get("/api/grid", s.handleGrid)
		r.Get("/api/surfaces", s.handleSurfaces)
		r.Get("/api/optimizers", s.handleOptimizers)
		// A run's JSON is large and quickly compressed: gzip's fastest
		// level takes a seventh of the CPU of the default for 10 % more
		// bytes (docs/performance.md); the outer Compress passes it on.
		r.With(middleware.Compress(gzip.BestSpeed)).Post("/api/run", s.handleRun)
		r.Get("/api/animation.gif", s.handleAnimation)
		r.Get("/api/expression", s.handleExpression)
		r.Get("/api/scenarios", s.handleScenarios)
		r.Get("/scenarios", s.handleScenariosPage)
		r.Group(func(r chi.Router) {
			r.Use(capSurveys(s.limits.MaxSurveys, s.limits.SurveyWait))
			r.Post("/api/basins", s.handleBasins)
			r.Post("/api/sweep", s.handleSweep)
			r.Post("/api/tune", s.handleTune)
		})
		var assets http.Handler
		if cfg.StaticDir != "" {
			assets = http.FileServer(http.Dir(cfg.StaticDir))
		} else {
			assets = precompressed(static.FS)
		}
		r.Handle("/static/*", http.StripPrefix("/static/", assets))
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such page: "+r.URL.Path)
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed on "+r.URL.Path)
	})
	s.router = r
	return s
}

// CloseWebSockets tells every WebSocket session to close with a 1001 "going
// away" frame, and turns /readyz to 503 so load balancers send no more
// traffic. Register it with http.Server.RegisterOnShutdown, since Shutdown
// does not track hijacked connections.
func (s *Server) CloseWebSockets() {
	s.draining.Store(true)
	s.closeOnce.Do(func() { close(s.closing) })
}

// rateLimitAPI applies limit to the API and the plots, not to the page's
// static assets, which a browser fetches many of at once.
func rateLimitAPI(limit func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		limited := limit(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/plot" {
				limited.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Drain turns /readyz to 503 ahead of shutting down, while requests are
// still served.
func (s *Server) Drain() {
	s.draining.Store(true)
}

// handleReady answers whether the server takes new work: 200, or 503 once
// it is shutting down, counted as refused because "draining", not as
// overloaded.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if s.draining.Load() {
		refuse(r, "draining")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("shutting down\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// recoverPanics turns a panic in a handler into a logged error with the
// request id and a 500 that names the id, and the server goes on serving.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			rec := recover()
			if rec == nil || rec == http.ErrAbortHandler {
				if rec != nil {
					panic(rec)
				}
				return
			}
			id := middleware.GetReqID(r.Context())
			s.log.Error("panic serving a request", "request_id", id, "method", r.Method, "path", r.URL.Path,
				"panic", fmt.Sprint(rec), "stack", string(debug.Stack()))
			s.metrics.reject("panic")
			if r.Header.Get("Connection") != "Upgrade" {
				writeError(w, http.StatusInternalServerError, "internal error (request id "+id+"); the server goes on")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.router.ServeHTTP(w, r)
}

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// writeJSON writes v as a JSON response with the given status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Every value the API encodes is finite by construction; reaching
		// this is a bug, reported as such rather than as half a body.
		writeError(w, http.StatusInternalServerError, "internal error: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(append(body, '\n'))
}

// writeError writes {"error": msg} with the given status code.
func writeError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	body, _ := json.Marshal(struct {
		Error string `json:"error"`
	}{msg})
	_, _ = w.Write(append(body, '\n'))
}

// writeRequestError answers err with 400 when the client caused it.
func writeRequestError(w http.ResponseWriter, err error) {
	var re *requestError
	if errors.As(err, &re) {
		writeError(w, http.StatusBadRequest, re.msg)
		return
	}
	writeError(w, http.StatusInternalServerError, "internal error")
}
