package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
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
	uncached := newTestServerFor(t, NewServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PlotCacheSize: -1}))
	const n = 12
	query := "/?surface=himmelblau&opt=adam&steps=300"
	bodies := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { bodies[i] = getBody(t, srv.URL+query) })
	}
	wg.Wait()
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

	req, err := http.NewRequest(http.MethodGet, srv.URL+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gunzip
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
		resp.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("Content-Encoding %q, Content-Type %q, CSP %q", resp.Header.Get("Content-Encoding"),
			resp.Header.Get("Content-Type"), resp.Header.Get("Content-Security-Policy"))
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, want) {
		t.Errorf("the gzipped page unpacks to %d bytes (%v), want the %d of the page", len(got), err, len(want))
	}

	getBody(t, srv.URL+query+"&theme=dark")
	if count("miss") != 2 {
		t.Errorf("another query came from the cache: %v misses, want 2", count("miss"))
	}
}
