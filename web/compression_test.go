package web

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestRunResponseGzipped posts a run asking for gzip: the answer comes
// gzipped, once, and unpacks to the run.
func TestRunResponseGzipped(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/run",
		strings.NewReader(`{"surface": "bowl", "steps": 50, "optimizers": [{"name": "sgd", "lr": 0.1}]}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gunzip
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("%d, Content-Encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var reply runReply
	if err := json.Unmarshal(body, &reply); err != nil {
		t.Fatalf("%v: %.80q", err, body)
	}
	if len(reply.Runs) != 1 || len(reply.Runs[0].Path) == 0 {
		t.Errorf("reply %+v", reply)
	}
}
