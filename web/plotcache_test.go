package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"saddlepoint/surfaces"
	"saddlepoint/web/templates"
)

// cacheCounts reads the plot cache's counters.
func cacheCounts(m *metrics) (hit, shared, miss float64) {
	return testutil.ToFloat64(m.plotCache.WithLabelValues("hit")),
		testutil.ToFloat64(m.plotCache.WithLabelValues("shared")),
		testutil.ToFloat64(m.plotCache.WithLabelValues("miss"))
}

// TestPlotCacheCollapsesConcurrentMisses asks for one plot from many
// goroutines while its computation is held up: all of them wait for that one
// computation.
func TestPlotCacheCollapsesConcurrentMisses(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := newMetrics()
		c := newPlotCache(4, m)
		release := make(chan struct{})
		var builds atomic.Int32
		build := func() templates.Plot {
			builds.Add(1)
			<-release
			return templates.Plot{Surface: "drawn once"}
		}
		const n = 20
		got := make([]templates.Plot, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { got[i] = c.load("key", build).plot })
		}
		synctest.Wait() // every goroutine is blocked: one building, the rest waiting for it
		if b := builds.Load(); b != 1 {
			t.Errorf("%d builds under way, want 1", b)
		}
		close(release)
		wg.Wait()
		for i, p := range got {
			if p.Surface != "drawn once" {
				t.Fatalf("goroutine %d got %q", i, p.Surface)
			}
		}
		if hit, shared, miss := cacheCounts(m); hit != 0 || shared != n-1 || miss != 1 {
			t.Errorf("hit %v, shared %v, miss %v; want 0, %d, 1", hit, shared, miss, n-1)
		}
		if p := c.load("key", build).plot; p.Surface != "drawn once" || builds.Load() != 1 {
			t.Errorf("after the computation: %q after %d builds", p.Surface, builds.Load())
		}
	})
}

func TestPlotCacheDropsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	m := newMetrics()
	c := newPlotCache(2, m)
	built := map[string]int{}
	load := func(key string) {
		t.Helper()
		p := c.load(key, func() templates.Plot {
			built[key]++
			return templates.Plot{Surface: key}
		}).plot
		if p.Surface != key {
			t.Fatalf("load(%q) gave the plot of %q", key, p.Surface)
		}
	}
	for _, key := range []string{"a", "b", "a", "c", "a", "b"} {
		load(key)
	}
	// c pushed out b, the least recently used; b's return pushed out c.
	want := map[string]int{"a": 1, "b": 2, "c": 1}
	for key, n := range want {
		if built[key] != n {
			t.Errorf("%s built %d times, want %d (all: %v)", key, built[key], n, built)
		}
	}
	if n := testutil.ToFloat64(m.plotCacheEntries); n != 2 {
		t.Errorf("%v entries, want 2", n)
	}
}

func TestPlotCacheOff(t *testing.T) {
	t.Parallel()
	m := newMetrics()
	c := newPlotCache(-1, m)
	builds := 0
	for range 3 {
		c.load("key", func() templates.Plot { builds++; return templates.Plot{} })
	}
	if _, _, miss := cacheCounts(m); builds != 3 || miss != 3 {
		t.Errorf("a cache of size -1 built %d times and counted %v misses, want 3 and 3", builds, miss)
	}
}

// TestPlotKeyTellsPlotsApart changes one thing a plot is drawn from at a
// time: each gives another key.
func TestPlotKeyTellsPlotsApart(t *testing.T) {
	t.Parallel()
	rosenbrock := mustResolve(t, surfaceSpec{Name: "rosenbrock"})
	custom := mustResolve(t, surfaceSpec{Name: customSurface, Expr: "x^2 + y^2"})
	zoomed := mustResolve(t, surfaceSpec{Name: customSurface, Expr: "x^2 + y^2", View: []float64{-1, 1, 0, 2}})
	other := mustResolve(t, surfaceSpec{Name: customSurface, Expr: "x^2 + 2*y^2"})
	plain := mustResolve(t, surfaceSpec{Name: "least-squares"})
	normalized := mustResolve(t, surfaceSpec{Name: "least-squares", Normalize: true})
	keys := map[string]string{}
	for name, key := range map[string]string{
		"rosenbrock":          plotKey(rosenbrock, 0),
		"blurred":             plotKey(rosenbrock, 0.5),
		"blurred more":        plotKey(rosenbrock, 1),
		"zoomed":              plotKey(zoomed, 0),
		"custom":              plotKey(custom, 0),
		"another expression":  plotKey(other, 0),
		"least squares":       plotKey(plain, 0),
		"normalised features": plotKey(normalized, 0),
	} {
		if same, dup := keys[key]; dup {
			t.Errorf("%s and %s share the key %s", name, same, key)
		}
		keys[key] = name
	}
	if plotKey(rosenbrock, 0) != plotKey(mustResolve(t, surfaceSpec{Name: "rosenbrock"}), 0) {
		t.Error("the same plot has two keys")
	}
}

func mustResolve(tb testing.TB, spec surfaceSpec) surfaces.Surface {
	tb.Helper()
	s, err := spec.resolve()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestPlotRequestsComputeOnce sends many identical plot requests at once to
// a real server, as a lecture hall opening one scenario would, and then the
// page with the same surface and start: the plot is computed once, and the
// cached plot is the one a server without a cache draws.
func TestPlotRequestsComputeOnce(t *testing.T) {
	t.Parallel()
	s := NewServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := newTestServerFor(t, s)
	uncached := uncachedServer(t)
	const n = 16
	query := "/plot?surface=rosenbrock&start=-1,2"
	bodies := getAtOnce(t, srv.URL+query, n)
	want := getBody(t, uncached.URL+query)
	for i, b := range bodies {
		if !bytes.Equal(b, want) {
			t.Fatalf("response %d differs from the plot of a server without a cache", i)
		}
	}
	getBody(t, srv.URL+"/?surface=rosenbrock&start=-1,2")
	hit, shared, miss := cacheCounts(s.metrics)
	if miss != 1 || hit+shared != n {
		t.Errorf("hit %v, shared %v, miss %v for %d plots and a page: want one miss", hit, shared, miss, n)
	}
	getBody(t, srv.URL+query+"&sigma=0.5")
	if _, _, miss := cacheCounts(s.metrics); miss != 2 {
		t.Errorf("a blurred plot came from the cache: %v misses, want 2", miss)
	}
}

// TestPlotCacheStartsShareContours asks for the plot and the page of one
// surface at several starts, plain and gzipped: the contours are computed
// once, each answer is the one a server without a cache gives, and each
// marks its own start.
func TestPlotCacheStartsShareContours(t *testing.T) {
	t.Parallel()
	s := NewServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := newTestServerFor(t, s)
	uncached := uncachedServer(t)
	starts := []struct{ query, data, label string }{
		{"-1,2", "-1 2", "start at (-1, 2)"},
		{"0.5,-0.25", "0.5 -0.25", "start at (0.5, -0.25)"},
		{"1e-7,1.9", "1e-07 1.9", "start at (1e-07, 1.9)"},
		{"-1.5,1.5", "-1.5 1.5", "start at (-1.5, 1.5)"},
	}
	for _, st := range starts {
		for _, path := range []string{"/plot?surface=himmelblau&start=", "/?surface=himmelblau&start="} {
			url := path + st.query
			want := getBody(t, uncached.URL+url)
			for _, acceptEncoding := range []string{"gzip", "identity"} {
				got := getEncoded(t, srv.URL+url, acceptEncoding)
				if !bytes.Equal(got, want) {
					t.Fatalf("%s (Accept-Encoding %s) differs from the answer of a server without a cache", url, acceptEncoding)
				}
			}
			marker := `<g id="start-marker" class="start-marker" transform="translate(`
			if !bytes.Contains(want, []byte(`data-start="`+st.data+`"`)) || !bytes.Contains(want, []byte(marker)) ||
				!bytes.Contains(want, []byte("<title>"+st.label+"</title>")) {
				t.Errorf("%s does not mark its start %s", url, st.data)
			}
		}
	}
	// Each start asks the plot cache three times: two plots, and the page
	// once (the second time it comes from the cache of pages).
	if hit, shared, miss := cacheCounts(s.metrics); miss != 1 || hit+shared+miss != float64(3*len(starts)) {
		t.Errorf("hit %v, shared %v, miss %v for %d starts: want the contours computed once", hit, shared, miss, len(starts))
	}
}

// rawRequest sends a request with body (none if empty), asking for
// acceptEncoding and with the extra headers given as name, value pairs,
// and returns the response and its body as sent: not gunzipped, as
// http.Get would.
func rawRequest(tb testing.TB, method, url, body, acceptEncoding string, headers ...string) (*http.Response, []byte) {
	tb.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", acceptEncoding)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gunzip
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp, b
}

// gunzip returns data uncompressed, failing unless it is whole gzip.
func gunzip(tb testing.TB, data []byte) []byte {
	tb.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// getEncoded GETs url asking for acceptEncoding, and returns its body,
// gunzipped if the server gzipped it, failing unless the answer is 200.
func getEncoded(tb testing.TB, url, acceptEncoding string) []byte {
	tb.Helper()
	resp, b := rawRequest(tb, http.MethodGet, url, "", acceptEncoding)
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	if resp.Header.Get("Content-Encoding") == "gzip" {
		return gunzip(tb, b)
	}
	if n, _ := strconv.Atoi(resp.Header.Get("Content-Length")); acceptEncoding == "identity" && n != len(b) {
		tb.Fatalf("GET %s: Content-Length %d for %d bytes", url, n, len(b))
	}
	return b
}

// uncachedServer is a test server without caches, whose answers a cached
// one's must equal.
func uncachedServer(tb testing.TB) *httptest.Server {
	return newTestServerFor(tb, NewServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PlotCacheSize: -1}))
}

// getAtOnce GETs url n times at once, as a lecture hall opening one
// scenario would, and returns the bodies.
func getAtOnce(tb testing.TB, url string, n int) [][]byte {
	bodies := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { bodies[i] = getBody(tb, url) })
	}
	wg.Wait()
	return bodies
}

// getBody GETs url and returns its body, failing unless the answer is 200.
func getBody(tb testing.TB, url string) []byte {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Error(err)
		return nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		tb.Errorf("GET %s: %d %v %s", url, resp.StatusCode, err, body[:min(len(body), 200)])
	}
	return body
}

// TestPlotSVGGzipped asks for a plot with and without gzip: the cached
// gzipped SVG is the SVG, and a client that takes no compression gets it
// plain.
func TestPlotSVGGzipped(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	get := func(acceptEncoding string) (*http.Response, []byte) {
		t.Helper()
		resp, body := rawRequest(t, http.MethodGet, srv.URL+"/plot?surface=himmelblau", "", acceptEncoding)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("Accept-Encoding %q: %d %s", acceptEncoding, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		return resp, body
	}
	plain, svg := get("identity")
	if plain.Header.Get("Content-Encoding") != "" || !bytes.HasPrefix(svg, []byte("<svg")) {
		t.Fatalf("identity: Content-Encoding %q, body starts %q", plain.Header.Get("Content-Encoding"), svg[:min(len(svg), 20)])
	}
	for _, ae := range []string{"gzip", "br, gzip;q=0.5, deflate", "*"} {
		resp, body := get(ae)
		if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Fatalf("%q: Content-Encoding %q, Vary %q", ae, resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
		}
		if got := gunzip(t, body); !bytes.Equal(got, svg) {
			t.Fatalf("%q: the gunzipped SVG differs from the plain one", ae)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	for header, want := range map[string]bool{
		"": false, "gzip": true, "GZIP": true, "deflate, gzip": true, "gzip;q=0": false, "gzip; q=0.000": false,
		"gzip;q=0.1": true, "*": true, "*;q=0": false, "br, zstd": false, "x-gzip2": false, "gzip;q=bad": false,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
