package web

import (
	"encoding/json"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestHostileRequests sends what an attacker or a broken client would and
// checks each gets a 400 (or 413) with a message, never a 500, and that the
// server goes on serving.
func TestHostileRequests(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct {
		name, body string
		code       int
	}{
		{"deep nesting", strings.Repeat("[", 30000) + strings.Repeat("]", 30000), http.StatusBadRequest},
		{"deep nesting in a field", `{"surface": "bowl", "optimizers": [` + strings.Repeat(`{"name": `, 5000) + `"sgd"` + strings.Repeat("}", 5000) + `]}`, http.StatusBadRequest},
		{"huge number", `{"surface": "bowl", "steps": 1` + strings.Repeat("0", 400) + `, "optimizers": [{"name": "sgd"}]}`, http.StatusBadRequest},
		{"huge float", `{"surface": "bowl", "start": [1e308, 1e308], "optimizers": [{"name": "sgd"}]}`, http.StatusBadRequest},
		{"negative zero everywhere", `{"surface": "bowl", "start": [-0, -0], "steps": 1, "tol": -0, "optimizers": [{"name": "sgd", "lr": -0}]}`, http.StatusOK},
		{"long string", `{"surface": "` + strings.Repeat("a", 60000) + `", "optimizers": [{"name": "sgd"}]}`, http.StatusBadRequest},
		{"oversized", `{"surface": "bowl", "optimizers": [{"name": "sgd"}], "x": "` + strings.Repeat("a", 70000) + `"}`, http.StatusRequestEntityTooLarge},
		{"invalid UTF-8", "{\"surface\": \"\xff\xfe\", \"optimizers\": [{\"name\": \"sgd\"}]}", http.StatusBadRequest},
		{"NUL bytes", "{\"surface\": \"bowl\u0000\", \"optimizers\": [{\"name\": \"sgd\"}]}", http.StatusBadRequest},
		{"wrong types throughout", `{"surface": [], "start": {}, "steps": "many", "optimizers": "sgd"}`, http.StatusBadRequest},
		{"expression bomb", `{"surface": "custom", "expr": "` + strings.Repeat("exp(", 70) + "x" + strings.Repeat(")", 70) + `", "optimizers": [{"name": "sgd"}]}`, http.StatusBadRequest},
		{"expression overflow", `{"surface": "custom", "expr": "exp(exp(exp(x)))", "start": [5, 0], "optimizers": [{"name": "newton"}]}`, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := postRun(t, srv, tc.body)
			if code != tc.code {
				t.Fatalf("status %d, want %d: %.200s", code, tc.code, body)
			}
			var v map[string]any
			if err := json.Unmarshal(body, &v); err != nil {
				t.Fatalf("body is not JSON (a NaN or infinity would make it so): %.200s", body)
			}
			if code != http.StatusOK && v["error"] == "" {
				t.Errorf("refusal without a message: %s", body)
			}
		})
	}
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("server not serving after the hostile requests: %v %v", resp, err)
	}
	resp.Body.Close()
}

// TestHostileWebSocket sends an oversized frame (the connection is closed
// with 1009) and a flood of run messages (only the last runs to the end,
// and the connection stays usable).
func TestHostileWebSocket(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	big := dial(t, srv.URL)
	if err := big.WriteMessage(websocket.TextMessage, []byte(`{"type": "run", "pad": "`+strings.Repeat("a", maxMessageSize)+`"}`)); err != nil {
		t.Fatal(err)
	}
	_ = big.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, _, err := big.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseMessageTooBig) {
		t.Errorf("oversized message: got %v, want a 1009 close", err)
	}

	conn := dial(t, srv.URL)
	const flood = 300
	for i := 1; i <= flood; i++ {
		msg := `{"type": "run", "id": ` + itoa(i) + `, "surface": "rosenbrock", "steps": 20000, "tol": 0, "optimizers": [{"name": "adam"}, {"name": "momentum", "lr": 0.0001}]}`
		if err := conn.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	got := collect(t, conn, flood, 2)
	if len(got.paths[0]) != 20001 || len(got.paths[1]) != 20001 {
		t.Errorf("the last of %d runs streamed %d and %d points, want 20001 each", flood, len(got.paths[0]), len(got.paths[1]))
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestChaosClientsVanish starts many streams whose clients vanish
// mid-stream without a close frame, then a burst of clients that reconnect
// and finish, and checks that the server's goroutines return to their
// baseline: no session, writer or run is left behind.
func TestChaosClientsVanish(t *testing.T) {
	srv := newTestServer(t)
	settle := func() int {
		runtime.GC()
		time.Sleep(50 * time.Millisecond)
		return runtime.NumGoroutine()
	}
	baseline := settle()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
	const clients = 40
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, _, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {srv.URL}})
			if err != nil {
				t.Error(err)
				return
			}
			_ = conn.WriteMessage(websocket.TextMessage, []byte(`{"type": "run", "id": 1, "surface": "rosenbrock", "steps": 100000, "tol": 0, "optimizers": [{"name": "adam"}, {"name": "sgd", "lr": 0.0001}]}`))
			if i%2 == 0 {
				_, _, _ = conn.ReadMessage() // vanish after the first message
			}
			conn.UnderlyingConn().Close() // no close frame
		}()
	}
	wg.Wait()
	// A burst of clients reconnecting, each reading its run to the end.
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, _, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {srv.URL}})
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			_ = conn.WriteMessage(websocket.TextMessage, []byte(`{"type": "run", "id": 9, "surface": "bowl", "steps": 500, "optimizers": [{"name": "adam"}]}`))
			for {
				_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
				_, data, err := conn.ReadMessage()
				if err != nil {
					t.Error(err)
					return
				}
				if strings.Contains(string(data), `"type":"done"`) {
					return
				}
			}
		}()
	}
	wg.Wait()
	deadline := time.Now().Add(15 * time.Second)
	for {
		n := settle()
		if n <= baseline+2 {
			break
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines after the chaos, baseline %d:\n%s", n, baseline, buf[:runtime.Stack(buf, true)])
		}
	}
}
