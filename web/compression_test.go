package web

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestRunResponseGzipped posts a run asking for gzip: the answer comes
// gzipped, once, and unpacks to the run.
func TestRunResponseGzipped(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	resp, gzipped := rawRequest(t, http.MethodPost, srv.URL+"/api/run",
		`{"surface": "bowl", "steps": 50, "optimizers": [{"name": "sgd", "lr": 0.1}]}`, "gzip")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("%d, Content-Encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	body := gunzip(t, gzipped)
	var reply runReply
	if err := json.Unmarshal(body, &reply); err != nil {
		t.Fatalf("%v: %.80q", err, body)
	}
	if len(reply.Runs) != 1 || len(reply.Runs[0].Path) == 0 {
		t.Errorf("reply %+v", reply)
	}
}
