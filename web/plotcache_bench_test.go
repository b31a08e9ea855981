package web

import (
	"io"
	"log/slog"
	"net/http"
	"testing"
)

// BenchmarkPlot and BenchmarkPage time what a lecture hall's browsers ask
// for when they open one scenario: GET /plot, the contour plot alone, and
// GET /, the page around it, over real HTTP on loopback with the client's
// usual gzip. "cached" is the server as it runs, where every request after
// the first finds its plot, or its page, in the cache; "uncached" is a
// server with the caches turned off, which computes the plot and renders
// the page for every request. cpu-ns/op is
// the CPU time of server and client together.
func BenchmarkPlot(b *testing.B) {
	benchmarkCached(b, "/plot?surface=rosenbrock")
}

func BenchmarkPage(b *testing.B) {
	benchmarkCached(b, "/?surface=rosenbrock&opt=adam")
}

func benchmarkCached(b *testing.B, path string) {
	for _, tc := range []struct {
		name string
		size int
	}{{"cached", 0}, {"uncached", -1}} {
		b.Run(tc.name, func(b *testing.B) {
			srv := newTestServerFor(b, NewServer(Config{
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PlotCacheSize: tc.size,
				Limits: Limits{RequestsPerMinute: -1},
			}))
			b.ReportAllocs()
			cpu := processCPU()
			for b.Loop() {
				fetch(b, srv.URL+path)
			}
			reportCPU(b, cpu)
		})
	}
}

// fetch GETs url and reads its body, failing unless the answer is 200.
func fetch(b *testing.B, url string) {
	resp, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
}
