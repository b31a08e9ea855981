package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkCompression gzips what the server sends, fetched plain from a
// test server, at gzip's fastest level, at the level of the compression
// middleware (5) and at its best, and reports the bytes that would cross the
// network, B/response, beside the plain size, raw-B/response. ns/op is the
// CPU a response's compression costs the server at that level.
func BenchmarkCompression(b *testing.B) {
	srv := newTestServer(b)
	resources := []struct{ name, method, path, body string }{
		{"page-rosenbrock", http.MethodGet, "/?surface=rosenbrock&opt=adam", ""},
		{"plot-rosenbrock", http.MethodGet, "/plot?surface=rosenbrock", ""},
		{"plot-rastrigin", http.MethodGet, "/plot?surface=rastrigin", ""},
		{"app.js", http.MethodGet, "/static/js/app.js", ""},
		{"app.css", http.MethodGet, "/static/css/app.css", ""},
		{"uPlot.min.esm.js", http.MethodGet, "/static/vendor/uplot/uPlot.min.esm.js", ""},
		{"api-run-2x10000", http.MethodPost, "/api/run", `{"surface": "rosenbrock", "steps": 10000, "tol": 0,
			"optimizers": [{"name": "adam", "lr": 0.01}, {"name": "sgd", "lr": 0.001}]}`},
	}
	for _, res := range resources {
		req, err := http.NewRequest(res.method, srv.URL+res.path, strings.NewReader(res.body))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", "identity")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		plain, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "" {
			b.Fatalf("%s: %d %q %v", res.path, resp.StatusCode, resp.Header.Get("Content-Encoding"), err)
		}
		for _, level := range []int{gzip.BestSpeed, 5, gzip.BestCompression} {
			b.Run(res.name+"/gzip-"+strconv.Itoa(level), func(b *testing.B) {
				var out bytes.Buffer
				zw, _ := gzip.NewWriterLevel(&out, level) // a valid level: no error
				for b.Loop() {
					out.Reset()
					zw.Reset(&out)
					_, _ = zw.Write(plain)
					_ = zw.Close()
				}
				b.ReportMetric(float64(out.Len()), "B/response")
				b.ReportMetric(float64(len(plain)), "raw-B/response")
			})
		}
	}
}
