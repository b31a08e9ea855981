package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	srv := newTestServerFor(t, NewServer(Config{
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
		FrameAncestors: []string{"https://course.example.edu"},
	}))
	for _, path := range []string{"/", "/api/surfaces", "/static/js/app.js", "/nowhere"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "frame-ancestors 'self' https://course.example.edu", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
			t.Errorf("%s: CSP allows inline script", path)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, resp.Header)
		}
	}
}

func TestReadinessFollowsShutdown(t *testing.T) {
	t.Parallel()
	s := NewServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := newTestServerFor(t, s)
	status := func(path string) int {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if status("/readyz") != http.StatusOK || status("/healthz") != http.StatusOK {
		t.Fatal("a fresh server is not ready")
	}
	s.Drain()
	if status("/readyz") != http.StatusServiceUnavailable {
		t.Error("/readyz still 200 while draining")
	}
	if status("/healthz") != http.StatusOK {
		t.Error("/healthz failed while draining: the process is still alive")
	}
	// The load balancer's probe is told no, which is no sign of overload.
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), `saddlepoint_rejected_total{reason="draining"} 1`) || strings.Contains(string(metrics), `reason="overloaded"`) {
		t.Errorf("a draining server's 503 on /readyz is not counted as draining alone:\n%s", metrics)
	}
}

func TestPanicIsRecoveredWithRequestID(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	s := NewServer(Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	s.router.Get("/boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/boom")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(body), "request id") {
		t.Errorf("panic answered %d %s", resp.StatusCode, body)
	}
	if !strings.Contains(logs.String(), `"request_id"`) || !strings.Contains(logs.String(), "boom") {
		t.Errorf("panic not logged with its request id: %s", logs.String())
	}
	// The server goes on serving.
	resp, err = http.Get(srv.URL + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("after a panic: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	if code, body := postRun(t, srv, `{"surface": "bowl", "steps": 10, "tol": 0, "optimizers": [{"name": "sgd"}, {"name": "adam"}]}`); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	if code, _ := postRun(t, srv, `{"surface": "banana"}`); code != http.StatusBadRequest {
		t.Fatal("a bad request was not refused")
	}
	conn := dial(t, srv.URL)
	defer conn.Close()
	// The server counts the WebSocket once its handler has upgraded it,
	// which may be just after the client's dial returns.
	var text string
	for deadline := time.Now().Add(10 * time.Second); ; {
		resp, err := http.Get(srv.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		text = string(body)
		if strings.Contains(text, "saddlepoint_websockets_open 1") || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, want := range []string{
		`saddlepoint_http_requests_total{code="200",route="/api/run"} 1`,
		`saddlepoint_http_requests_total{code="400",route="/api/run"} 1`,
		`saddlepoint_runs_total{optimizer="sgd",status="max_steps"} 1`,
		`saddlepoint_runs_total{optimizer="adam",status="max_steps"} 1`,
		`saddlepoint_steps_total 22`,
		`saddlepoint_rejected_total{reason="bad_request"} 1`,
		`saddlepoint_websockets_open 1`,
		`saddlepoint_run_duration_seconds_count 2`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestWebSocketOriginAllowList(t *testing.T) {
	t.Parallel()
	srv := newTestServerFor(t, NewServer(Config{
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
		AllowedOrigins: []string{"https://slides.example.org"},
	}))
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
	for origin, ok := range map[string]bool{
		srv.URL:                           true,
		"https://slides.example.org":      true,
		"https://slides.example.org:8443": false,
		"https://evil.example":            false,
	} {
		conn, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {origin}})
		if ok != (err == nil) {
			t.Errorf("origin %s: err %v, want allowed=%v", origin, err, ok)
		}
		if conn != nil {
			conn.Close()
		}
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
	}
}

func TestRateLimitPerAddress(t *testing.T) {
	t.Parallel()
	srv := newTestServerFor(t, NewServer(Config{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Limits: Limits{RequestsPerMinute: 3},
	}))
	for i := range 5 {
		resp, err := http.Get(srv.URL + "/api/surfaces")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if limited := i >= 3; limited != (resp.StatusCode == http.StatusTooManyRequests) {
			t.Fatalf("request %d: %d %s", i+1, resp.StatusCode, body)
		}
		if i >= 3 && (resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "at most 3 a minute")) {
			t.Errorf("refusal lacks Retry-After or a message: %v %s", resp.Header, body)
		}
	}
	// The page's assets are not API requests.
	resp, err := http.Get(srv.URL + "/static/js/app.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("static asset refused with %d after the API limit", resp.StatusCode)
	}
}

func TestWebSocketCaps(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		limits Limits
		code   int
	}{
		{"per address", Limits{WebSocketsPerClient: 2}, http.StatusTooManyRequests},
		{"per server", Limits{MaxWebSockets: 2}, http.StatusServiceUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServerFor(t, NewServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Limits: tc.limits}))
			url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
			first := dial(t, srv.URL)
			dial(t, srv.URL)
			_, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {srv.URL}})
			if err == nil || resp == nil || resp.StatusCode != tc.code || resp.Header.Get("Retry-After") == "" {
				t.Fatalf("third WebSocket: %v %v, want %d with Retry-After", err, resp, tc.code)
			}
			// Closing one frees its slot.
			first.Close()
			var conn *websocket.Conn
			for range 50 {
				if conn, _, err = websocket.DefaultDialer.Dial(url, http.Header{"Origin": {srv.URL}}); err == nil {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			if err != nil {
				t.Fatalf("no slot after closing a WebSocket: %v", err)
			}
			conn.Close()
		})
	}
}

func TestCapInFlight(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	entered := make(chan struct{})
	h := capInFlight(1)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	go func() {
		resp, err := http.Get(srv.URL)
		if err == nil {
			resp.Body.Close()
		}
	}()
	<-entered
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	close(release)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a request beyond the cap got %d, want 503 with Retry-After", resp.StatusCode)
	}
}

func TestIdleWebSocketIsClosed(t *testing.T) {
	t.Parallel()
	srv := newTestServerFor(t, NewServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), IdleTimeout: 400 * time.Millisecond}))
	conn := dial(t, srv.URL)
	// A run keeps the connection busy beyond the idle timeout.
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type": "run", "id": 1, "surface": "bowl", "steps": 5, "optimizers": [{"name": "sgd"}]}`)); err != nil {
		t.Fatal(err)
	}
	collect(t, conn, 1, 1)
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, _, err := conn.ReadMessage()
	var closed *websocket.CloseError
	if !errors.As(err, &closed) || closed.Code != websocket.CloseNormalClosure || !strings.Contains(closed.Text, "idle") {
		t.Fatalf("got %v, want a normal close for idleness", err)
	}
}

func TestRunBudget(t *testing.T) {
	t.Parallel()
	srv := newTestServerFor(t, NewServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), RunBudget: time.Nanosecond}))
	body := `"surface": "rosenbrock", "steps": 100000, "tol": 0, "optimizers": [{"name": "adam"}]`
	code, data := postRun(t, srv, "{"+body+"}")
	var got runReply
	if err := json.Unmarshal(data, &got); err != nil || code != http.StatusOK {
		t.Fatalf("%d %s", code, data)
	}
	if got.Runs[0].Status != "budget" || len(got.Runs[0].Path) >= 100001 {
		t.Errorf("/api/run: status %q after %d iterates, want budget, early", got.Runs[0].Status, len(got.Runs[0].Path))
	}
	conn := dial(t, srv.URL)
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type": "run", "id": 1, `+body+`}`)); err != nil {
		t.Fatal(err)
	}
	if s := collect(t, conn, 1, 1); s.statuses[0] != "budget" {
		t.Errorf("stream: status %q, want budget", s.statuses[0])
	}
}

// TestRunBudgetExcludesSlowReader: a stream's budget is its time stepping,
// not the time it waits for its reader. Four runs of 40,000 steps compute
// in tens of milliseconds, but their 6 MB of points outgrow the socket's
// buffers and the send queue, so while the client reads nothing for two
// and a half seconds the runs wait, far past a 1 s budget; all four must
// still end at max_steps.
func TestRunBudgetExcludesSlowReader(t *testing.T) {
	t.Parallel()
	srv := newTestServerFor(t, NewServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), RunBudget: time.Second}))
	conn := dial(t, srv.URL)
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type": "run", "id": 1, "surface": "bowl", "steps": 40000, "tol": 0,
		"optimizers": [{"name": "sgd"}, {"name": "momentum"}, {"name": "nesterov"}, {"name": "adagrad"}]}`)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond) // the reader waits well past the budget
	s := collect(t, conn, 1, 4)
	for run, status := range s.statuses {
		if status != "max_steps" || len(s.paths[run]) != 40001 {
			t.Errorf("run %d ended %q after %d iterates, want max_steps after 40001", run, status, len(s.paths[run]))
		}
	}
}

// TestRunWaitsForStepper: while every one of the server's steppers is
// taken, a run is announced but steps nothing, and its wait does not count
// against its budget; once a stepper is free it runs to the end.
func TestRunWaitsForStepper(t *testing.T) {
	t.Parallel()
	s := NewServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), RunBudget: 250 * time.Millisecond})
	for range cap(s.steppers) {
		s.steppers <- struct{}{}
	}
	srv := newTestServerFor(t, s)
	conn := dial(t, srv.URL)
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type": "run", "id": 1, "surface": "bowl", "steps": 3000, "tol": 0,
		"optimizers": [{"name": "sgd"}, {"name": "adam"}]}`)); err != nil {
		t.Fatal(err)
	}
	if msg := readMessage(t, conn); msg.Type != "started" {
		t.Fatalf("first message %q, want started", msg.Type)
	}
	_ = conn.SetReadDeadline(time.Now().Add(400 * time.Millisecond))
	if _, data, err := conn.ReadMessage(); err == nil {
		t.Fatalf("with every stepper taken, the server sent %.80q", data)
	}
	// A read that timed out leaves gorilla's connection unusable: read the
	// rest on a new one.
	conn = dial(t, srv.URL)
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type": "run", "id": 2, "surface": "bowl", "steps": 3000, "tol": 0,
		"optimizers": [{"name": "sgd"}, {"name": "adam"}]}`)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // twice the budget, waiting for a stepper
	<-s.steppers
	got := collect(t, conn, 2, 2)
	for run, status := range got.statuses {
		if status != "max_steps" || len(got.paths[run]) != 3001 {
			t.Errorf("run %d ended %q after %d iterates, want max_steps after 3001", run, status, len(got.paths[run]))
		}
	}
}

// TestCapSurveys: with one survey slot, a second survey waits its turn and
// is served when the first ends; one that cannot get a slot within the wait
// gets a 503 with Retry-After naming the limit, counted as rejected.
func TestCapSurveys(t *testing.T) {
	t.Parallel()
	m := newMetrics()
	release := make(chan struct{})
	entered := make(chan struct{}, 3)
	h := m.countRequests(capSurveys(1, 300*time.Millisecond)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		if r.URL.Query().Get("hold") != "" {
			<-release
		}
	})))
	srv := httptest.NewServer(h)
	defer srv.Close()
	// get never returns a nil response: a failed request is reported and
	// answered as status 0, so the goroutines below fail rather than panic.
	get := func(query string) (*http.Response, []byte) {
		resp, err := http.Get(srv.URL + query)
		if err != nil {
			t.Error(err)
			return &http.Response{Header: http.Header{}}, nil
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	first := make(chan int)
	go func() {
		resp, _ := get("?hold=1")
		first <- resp.StatusCode
	}()
	<-entered
	resp, body := get("")
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.HasPrefix(string(body), `{"error":"survey: 1 surveys`) {
		t.Errorf("a survey beyond the cap got %d %s, want 503 with Retry-After naming the limit", resp.StatusCode, body)
	}
	if got := testutil.ToFloat64(m.rejected.WithLabelValues("surveys")); got != 1 {
		t.Errorf("rejected{reason=surveys} = %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.rejected.WithLabelValues("overloaded")); got != 0 {
		t.Errorf("rejected{reason=overloaded} = %v, want 0: the refusal counted twice", got)
	}
	// A survey that arrives while the first runs is served once it ends.
	waited := make(chan int)
	go func() {
		resp, _ := get("")
		waited <- resp.StatusCode
	}()
	time.Sleep(50 * time.Millisecond)
	if len(entered) != 0 {
		t.Error("a second survey computed while the only slot was taken")
	}
	close(release)
	if code := <-first; code != http.StatusOK {
		t.Errorf("the first survey got %d", code)
	}
	if code := <-waited; code != http.StatusOK {
		t.Errorf("the survey that waited its turn got %d, want 200", code)
	}
}
