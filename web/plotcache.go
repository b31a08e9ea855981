package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"saddlepoint/surfaces"
	"saddlepoint/web/templates"
)

// DefaultPlotCacheSize is how many contour plots the server keeps by
// default, and how many pages. A plot holds its contour lines as SVG paths,
// and once served alone its SVG plain and gzipped: some 0.1 MB for
// rosenbrock to 0.65 MB for rastrigin's many rings. A page, plain and
// gzipped, is 0.15 to 0.5 MB. The default keeps under 40 MB.
const DefaultPlotCacheSize = 32

// plotCache keeps the contour plots most recently drawn, so that a lecture
// hall opening the same scenario, or a page swapping between surfaces and
// continuation stages, computes each plot once (see lru: at most capacity
// plots, one computation for concurrent misses). A plot is kept without its
// start, which is marked on the way out (markStart): a class clicking start
// points on one surface costs one computation of its contours.
type plotCache struct {
	capacity int
	plots    *lru[*plotEntry]
}

// plotEntry is a plot in the cache, with no start marked, and, once a
// request for the SVG alone has asked for it, its SVG as sent for any start
// (see plotSVG): rendered once and compressed once, so that serving it
// again costs no CPU. It is compressed at gzip's fastest level: many plots
// are asked for once (each view a zoom rests on, each function typed), and
// for those the best level took several times as long as drawing the plot,
// for 15 % fewer bytes (docs/performance.md).
type plotEntry struct {
	plot templates.Plot

	svgOnce sync.Once
	svg     *plotSVG
	svgErr  error
}

// renderedSVG returns the plot's SVG, ready to be sent for any start.
func (e *plotEntry) renderedSVG() (*plotSVG, error) {
	e.svgOnce.Do(func() { e.svg, e.svgErr = newPlotSVG(e.plot) })
	return e.svg, e.svgErr
}

// newPlotCache returns a cache of at most capacity plots that counts its
// hits and misses in m. A capacity of 0 means DefaultPlotCacheSize; a
// negative one caches nothing.
func newPlotCache(capacity int, m *metrics) *plotCache {
	if capacity == 0 {
		capacity = DefaultPlotCacheSize
	}
	return &plotCache{capacity: capacity, plots: newLRU[*plotEntry](capacity, m.plotCache, m.plotCacheEntries)}
}

// plot returns the contour plot of s with start marked, blurred by a
// Gaussian of standard deviation sigma when sigma > 0 (as buildBlurredPlot
// draws it), else as buildPlot draws it.
func (c *plotCache) plot(s surfaces.Surface, start surfaces.Point, sigma float64) templates.Plot {
	return markStart(c.entry(s, sigma).plot, start)
}

// entry returns the cache's entry for the plot of s and sigma.
func (c *plotCache) entry(s surfaces.Surface, sigma float64) *plotEntry {
	return c.load(plotKey(s, sigma), func() templates.Plot {
		if sigma > 0 {
			return buildBlurredPlot(s, sigma)
		}
		return buildPlot(s)
	})
}

// load returns the entry stored under key, or stores one for the plot
// build returns.
func (c *plotCache) load(key string, build func() templates.Plot) *plotEntry {
	return c.plots.load(key, func() *plotEntry { return &plotEntry{plot: build()} })
}

// writePlotSVG answers a request for the SVG of the plot of s, start and
// sigma, gzipped when the client takes gzip. Kept in the cache, the SVG is
// rendered and compressed once: the compression middleware, at its level
// for every response, took more time than drawing the plot (see
// docs/performance.md). With the cache off, the middleware compresses.
func (s *Server) writePlotSVG(w http.ResponseWriter, r *http.Request, surface surfaces.Surface, start surfaces.Point, sigma float64) {
	e := s.plots.entry(surface, sigma)
	w.Header().Set("Content-Type", "image/svg+xml")
	if s.plots.capacity < 0 {
		if err := templates.PlotSVG(markStart(e.plot, start)).Render(r.Context(), w); err != nil {
			s.log.Error("rendering a plot", "err", err)
		}
		return
	}
	svg, err := e.renderedSVG()
	if err != nil {
		s.log.Error("rendering a plot", "err", err)
		writeError(w, http.StatusInternalServerError, "internal error: the plot could not be drawn")
		return
	}
	w.Header().Add("Vary", "Accept-Encoding")
	p := markStart(e.plot, start)
	body := svg.body(p)
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		w.Header().Set("Content-Encoding", "gzip")
		body = svg.gzip(p)
	}
	n := 0
	for _, b := range body {
		n += len(b)
	}
	w.Header().Set("Content-Length", strconv.Itoa(n))
	for _, b := range body {
		if _, err := w.Write(b); err != nil {
			return
		}
	}
}

// acceptsGzip reports whether an Accept-Encoding header takes gzip: it
// names gzip, or *, with a weight q above 0 or none.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			q, _ = strconv.ParseFloat(strings.TrimSpace(v), 64) // unreadable: 0
		}
		if q > 0 {
			return true
		}
	}
	return false
}

// plotKey identifies a plot, start aside, by everything it is drawn from:
// the surface's name and formula (a typed function's formula is its
// expression as parsed, and least squares with normalised features has a
// formula of its own), its view, sigma and the grid, each number exactly.
func plotKey(s surfaces.Surface, sigma float64) string {
	grid := contourGrid
	if sigma > 0 {
		grid = blurredGrid
	}
	var b strings.Builder
	b.WriteString(strconv.Quote(s.Name))
	b.WriteString(strconv.Quote(s.Formula))
	for _, f := range []float64{s.View.XMin, s.View.XMax, s.View.YMin, s.View.YMax, sigma} {
		b.WriteByte(' ')
		b.WriteString(strconv.FormatUint(math.Float64bits(f), 16))
	}
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(grid))
	return b.String()
}
