package web

import (
	"bytes"
	"cmp"
	"context"
	"net/http"
	"strconv"
)

// Every state of the page lives in its URL: the page is a function of its
// query alone. A lecture hall opening one scenario asks for the same page
// hundreds of times, and gzipping its 300 kB or more (the plot is inline)
// at the middleware's level took most of the CPU a page cost even with its
// plot cached (docs/performance.md). pages keeps the pages most recently
// served, rendered once and gzipped once, by their query.

// renderedPage is a page as served: status, Content-Type, the body, and the
// body gzipped at gzip's best compression.
type renderedPage struct {
	status      int
	contentType string
	body, gzip  []byte
}

// newPageCache returns the cache of pages, as large as the plot cache.
func newPageCache(capacity int, m *metrics) *lru[*renderedPage] {
	if capacity == 0 {
		capacity = DefaultPlotCacheSize
	}
	return newLRU[*renderedPage](capacity, m.pageCache, m.pageCacheEntries)
}

// cachedPage serves page from the cache of pages, keyed by the request's
// query. The page is rendered for the first request of its query, with a
// context that the client hanging up does not cancel, since the requests
// waiting for it share the page.
func (s *Server) cachedPage(page http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.pages.capacity < 0 {
			page(w, r)
			return
		}
		p := s.pages.load(r.URL.RawQuery, func() *renderedPage {
			return renderPage(page, r.WithContext(context.WithoutCancel(r.Context())))
		})
		w.Header().Set("Content-Type", p.contentType)
		w.Header().Add("Vary", "Accept-Encoding")
		body := p.body
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			w.Header().Set("Content-Encoding", "gzip")
			body = p.gzip
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(p.status)
		_, _ = w.Write(body)
	}
}

// renderPage runs page into memory and gzips what it wrote.
func renderPage(page http.HandlerFunc, r *http.Request) *renderedPage {
	rec := &pageRecorder{header: http.Header{}}
	page(rec, r)
	return &renderedPage{status: cmp.Or(rec.status, http.StatusOK), contentType: rec.header.Get("Content-Type"),
		body: rec.body.Bytes(), gzip: gzipBytes(rec.body.Bytes())}
}

// pageRecorder is the http.ResponseWriter a page is rendered into.
type pageRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (p *pageRecorder) Header() http.Header { return p.header }

func (p *pageRecorder) Write(b []byte) (int, error) { return p.body.Write(b) }

func (p *pageRecorder) WriteHeader(status int) {
	if p.status == 0 {
		p.status = status
	}
}
