package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"saddlepoint/web"
)

// TestStreamClient runs a client against a real server, in each encoding,
// and checks that it counts every point of every run, the same in both: 4
// optimizers × 300 steps with the convergence test off are 301 points each
// (bfgs may stop sooner, at a gradient of exactly 0).
func TestStreamClient(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(web.NewServer(web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()
	sc := scenario{ID: "x", URL: "/?surface=rosenbrock&start=-1.2,1&opt=adam(lr=0.01)&opt=bfgs()&opt=momentum(lr=0.001)"}
	var first streamOutcome
	for _, encoding := range []string{"binary", "json"} {
		run, err := runMessage(sc, 4, 300, encoding, true)
		if err != nil {
			t.Fatal(err)
		}
		got := streamClient(context.Background(), strings.TrimPrefix(srv.URL, "http://"), run)
		if got.err != nil {
			t.Fatalf("%s: %v", encoding, got.err)
		}
		if len(got.points) != 4 || got.points[0] != 301 || got.points[2] != 301 || got.points[3] != 301 || got.points[1] < 2 {
			t.Errorf("%s: points %v, want 301 for adam, momentum and adam again, and bfgs's however many", encoding, got.points)
		}
		if len(got.statuses) != 4 {
			t.Fatalf("%s: statuses %v, want one for each of the 4 runs", encoding, got.statuses)
		}
		if want := []string{"max_steps", got.statuses[1], "max_steps", "max_steps"}; !slices.Equal(got.statuses, want) {
			t.Errorf("%s: statuses %v, want %v", encoding, got.statuses, want)
		}
		if first.points == nil {
			first = got
		} else if err := got.check(first); err != nil {
			t.Errorf("json and binary differ: %v", err)
		}
	}
}
