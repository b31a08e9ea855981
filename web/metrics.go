package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"saddlepoint/engine"
)

// metrics are the server's Prometheus metrics, in a registry of its own so
// that several servers (in tests) do not collide.
type metrics struct {
	registry    *prometheus.Registry
	requests    *prometheus.CounterVec
	websockets  prometheus.Gauge
	runs        *prometheus.CounterVec
	steps       prometheus.Counter
	runDuration prometheus.Histogram
	rejected    *prometheus.CounterVec

	plotCache        *prometheus.CounterVec
	plotCacheEntries prometheus.Gauge
	pageCache        *prometheus.CounterVec
	pageCacheEntries prometheus.Gauge
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "saddlepoint_http_requests_total",
			Help: "HTTP requests answered, by route pattern and status code.",
		}, []string{"route", "code"}),
		websockets: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "saddlepoint_websockets_open",
			Help: "WebSocket connections open now.",
		}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "saddlepoint_runs_total",
			Help: "Optimizer runs finished, by optimizer and final status.",
		}, []string{"optimizer", "status"}),
		steps: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "saddlepoint_steps_total",
			Help: "Optimizer steps computed (iterates produced).",
		}),
		runDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "saddlepoint_run_duration_seconds",
			Help:    "Wall-clock time of one optimizer run.",
			Buckets: prometheus.ExponentialBuckets(1e-5, 4, 10),
		}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "saddlepoint_rejected_total",
			Help: "Requests and messages refused, by reason.",
		}, []string{"reason"}),
		plotCache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "saddlepoint_plot_cache_requests_total",
			Help: "Contour plots asked of the cache, by result: hit (kept), shared (computed once for several waiting requests) or miss (computed). A plot is kept without its start, which is marked on the way out: plots differing only in their start are one plot here.",
		}, []string{"result"}),
		plotCacheEntries: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "saddlepoint_plot_cache_entries",
			Help: "Contour plots kept in the cache now, each for any start.",
		}),
		pageCache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "saddlepoint_page_cache_requests_total",
			Help: "Pages asked of the cache, by result: hit (kept), shared (rendered once for several waiting requests) or miss (rendered).",
		}, []string{"result"}),
		pageCacheEntries: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "saddlepoint_page_cache_entries",
			Help: "Pages kept in the cache now.",
		}),
	}
	m.registry.MustRegister(m.requests, m.websockets, m.runs, m.steps, m.runDuration, m.rejected, m.plotCache, m.plotCacheEntries,
		m.pageCache, m.pageCacheEntries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// handler serves the metrics in Prometheus's text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// countRequests is middleware counting every request by its route pattern
// (not its path, so the label set stays small) and status code, and each
// refused one once, by the reason its handler gave (refuse) or else by its
// status code (refusals).
func (m *metrics) countRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		reason := new(string)
		next.ServeHTTP(ww, r.WithContext(context.WithValue(r.Context(), refusalKey{}, reason)))
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
			route = rc.RoutePattern()
		}
		code := ww.Status()
		if code == 0 {
			code = http.StatusOK
		}
		m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
		if *reason != "" {
			m.reject(*reason)
		} else if reason, refused := refusals[code]; refused {
			m.reject(reason)
		}
	})
}

// refusalKey keys the refusal reason countRequests lets a handler set.
type refusalKey struct{}

// refuse names the reason r is being refused, for countRequests to count it
// by, in place of the one its status code would give.
func refuse(r *http.Request, reason string) {
	if p, ok := r.Context().Value(refusalKey{}).(*string); ok {
		*p = reason
	}
}

// refusals names the reason behind each status code that refuses a request.
var refusals = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusForbidden:             "forbidden_origin",
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusTooManyRequests:       "rate_limited",
	http.StatusServiceUnavailable:    "overloaded",
}

// finished records a run that ended with status after steps iterates.
func (m *metrics) finished(optimizer string, status engine.Status, iterates int, took time.Duration) {
	m.runs.WithLabelValues(optimizer, string(status)).Inc()
	m.steps.Add(float64(iterates))
	m.runDuration.Observe(took.Seconds())
}

// reject records a refused request or message.
func (m *metrics) reject(reason string) {
	m.rejected.WithLabelValues(reason).Inc()
}
