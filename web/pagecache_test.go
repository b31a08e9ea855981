package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestPagesRenderedOnce asks a real server for one page many times at once,
// as a lecture hall opening one scenario would: the page is rendered once,
// every answer equals the page of a server without caches, and a client that
// takes gzip gets the same page gzipped.
func TestPagesRenderedOnce(t *testing.T) {
	t.Parallel()
	s := NewServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := newTestServerFor(t, s)
	uncached := uncachedServer(t)
	const n = 12
	query := "/?surface=himmelblau&opt=adam&steps=300"
	bodies := getAtOnce(t, srv.URL+query, n)
	want := getBody(t, uncached.URL+query)
	if !bytes.Contains(want, []byte("<svg")) {
		t.Fatalf("the page has no plot: %.200s", want)
	}
	for i, b := range bodies {
		if !bytes.Equal(b, want) {
			t.Fatalf("page %d differs from the page of a server without caches", i)
		}
	}
	count := func(result string) float64 { return testutil.ToFloat64(s.metrics.pageCache.WithLabelValues(result)) }
	if count("miss") != 1 || count("hit")+count("shared") != n-1 {
		t.Errorf("hit %v, shared %v, miss %v for %d pages: want one miss", count("hit"), count("shared"), count("miss"), n)
	}

	resp, gzipped := rawRequest(t, http.MethodGet, srv.URL+query, "", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
		resp.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("Content-Encoding %q, Content-Type %q, CSP %q", resp.Header.Get("Content-Encoding"),
			resp.Header.Get("Content-Type"), resp.Header.Get("Content-Security-Policy"))
	}
	if got := gunzip(t, gzipped); !bytes.Equal(got, want) {
		t.Errorf("the gzipped page unpacks to %d bytes, want the %d of the page", len(got), len(want))
	}

	getBody(t, srv.URL+query+"&theme=dark")
	if count("miss") != 2 {
		t.Errorf("another query came from the cache: %v misses, want 2", count("miss"))
	}
}
