package web

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// dial opens a WebSocket to the test server's /ws.
func dial(tb testing.TB, srvURL string) *websocket.Conn {
	tb.Helper()
	url := "ws" + strings.TrimPrefix(srvURL, "http") + "/ws"
	header := http.Header{"Origin": {srvURL}}
	conn, resp, err := websocket.DefaultDialer.Dial(url, header)
	if err != nil {
		tb.Fatalf("dial %s: %v", url, err)
	}
	resp.Body.Close()
	tb.Cleanup(func() { conn.Close() })
	return conn
}

// serverMessage is any message the server sends.
type serverMessage struct {
	Type    string            `json:"type"`
	ID      *int64            `json:"id"`
	Run     int               `json:"run"`
	Path    [][2]float64      `json:"path"`
	Loss    []float64         `json:"loss"`
	Average [][2]float64      `json:"average"`
	Evals   [][3]float64      `json:"evals"`
	Trace   []json.RawMessage `json:"trace"`
	Stages  []stageStart      `json:"stages"`
	Status  string            `json:"status"`
	Error   string            `json:"error"`
	binary  bool              // whether it came as a binary points frame
	Runs    []struct {
		Name   string         `json:"name"`
		Params map[string]any `json:"params"`
	} `json:"runs"`
}

func readMessage(tb testing.TB, conn *websocket.Conn) serverMessage {
	tb.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	kind, data, err := conn.ReadMessage()
	if err != nil {
		tb.Fatalf("reading: %v", err)
	}
	if kind == websocket.BinaryMessage {
		msg, err := decodePointsFrame(data)
		if err != nil {
			tb.Fatal(err)
		}
		if msg.Type != "points" {
			tb.Fatalf("binary frame of type %q, want points", msg.Type)
		}
		msg.binary = true
		return msg
	}
	var msg serverMessage
	if err := json.Unmarshal(data, &msg); err != nil {
		tb.Fatalf("message %q: %v", data, err)
	}
	return msg
}

// streamed collects one run's stream: every path and loss per run, the
// statuses, and how many points messages there were.
type streamed struct {
	paths    [][][2]float64
	losses   [][]float64
	averages [][][2]float64
	evals    [][][3]float64
	traces   [][]json.RawMessage
	stages   [][]stageStart
	statuses []string
	batches  int
	binary   int // batches that came as binary frames
	largest  int // points in the largest batch
}

// collect reads messages until every run of a request with n optimizers and
// the given id is done. Messages of other ids are skipped.
func collect(tb testing.TB, conn *websocket.Conn, id int64, n int) streamed {
	tb.Helper()
	s := streamed{
		paths: make([][][2]float64, n), losses: make([][]float64, n), statuses: make([]string, n),
		averages: make([][][2]float64, n), evals: make([][][3]float64, n), traces: make([][]json.RawMessage, n),
		stages: make([][]stageStart, n),
	}
	started := false
	for done := 0; done < n; {
		msg := readMessage(tb, conn)
		if msg.ID == nil || *msg.ID != id {
			continue
		}
		switch msg.Type {
		case "started":
			started = true
			if len(msg.Runs) != n {
				tb.Fatalf("started with %d runs, want %d", len(msg.Runs), n)
			}
		case "points":
			if !started {
				tb.Fatal("points before started")
			}
			if len(msg.Path) == 0 || len(msg.Path) != len(msg.Loss) || len(msg.Path) > batchPoints {
				tb.Fatalf("batch of %d points and %d losses", len(msg.Path), len(msg.Loss))
			}
			if s.statuses[msg.Run] != "" {
				tb.Fatalf("points for run %d after its done", msg.Run)
			}
			s.paths[msg.Run] = append(s.paths[msg.Run], msg.Path...)
			s.losses[msg.Run] = append(s.losses[msg.Run], msg.Loss...)
			s.averages[msg.Run] = append(s.averages[msg.Run], msg.Average...)
			s.evals[msg.Run] = append(s.evals[msg.Run], msg.Evals...)
			s.traces[msg.Run] = append(s.traces[msg.Run], msg.Trace...)
			s.stages[msg.Run] = append(s.stages[msg.Run], msg.Stages...)
			s.batches++
			s.largest = max(s.largest, len(msg.Path))
			if msg.binary {
				s.binary++
			}
		case "done":
			s.statuses[msg.Run] = msg.Status
			done++
		case "error":
			tb.Fatalf("error: %s", msg.Error)
		}
	}
	return s
}

// TestStreamEqualsRun checks that a run streamed over the WebSocket, as JSON
// or as binary frames, equals /api/run's answer bit for bit: every point,
// loss, average, probe, trace entry, stage and status.
func TestStreamEqualsRun(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	request := `"surface": "rosenbrock", "start": [-1.2, 1], "steps": 3000, "trace": true, "optimizers": [
		{"name": "adam", "lr": 0.01, "average": "exponential"}, {"name": "momentum", "lr": 0.001, "average": "uniform"},
		{"name": "sgd", "lr": 0.1}, {"name": "newton"}, {"name": "bfgs"},
		{"name": "momentum", "lr": 0.0005, "continuation": {"sigma0": 1, "stages": 3}}]`

	code, body := postRun(t, srv, "{"+request+"}")
	if code != http.StatusOK {
		t.Fatalf("POST /api/run: %d %s", code, body)
	}
	var want runReply
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}
	if want.Runs[2].Status != "diverged" || want.Runs[3].Status != "converged" {
		t.Errorf("statuses %q and %q: the test wants a diverged and a converged run", want.Runs[2].Status, want.Runs[3].Status)
	}
	for i, n := range []int{len(want.Runs[0].Path), len(want.Runs[1].Path), 0, 0} {
		if len(want.Runs[i].Average) != n {
			t.Errorf("run %d: %d averages for %d points", i, len(want.Runs[i].Average), len(want.Runs[i].Path))
		}
	}
	if len(want.Runs[4].Evals) == 0 {
		t.Error("bfgs reported no line-search probes")
	}
	if len(want.Runs[5].Stages) != 3 {
		t.Errorf("continuation reported stages %v, want 3", want.Runs[5].Stages)
	}

	conn := dial(t, srv.URL)
	for id, encoding := range []string{"", "json", "binary"} {
		msg := `{"type": "run", "id": ` + strconv.Itoa(id) + `, ` + request + `}`
		if encoding != "" {
			msg = `{"type": "run", "id": ` + strconv.Itoa(id) + `, "encoding": "` + encoding + `", ` + request + `}`
		}
		if err := conn.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		got := collect(t, conn, int64(id), len(want.Runs))
		if got.batches <= len(want.Runs) {
			t.Errorf("%s: %d points messages for %d runs of up to 3001 points: the stream is not batched", encoding, got.batches, len(want.Runs))
		}
		if got.largest != tracedBatchPoints {
			t.Errorf("%s: the largest batch of a traced run holds %d points, want %d", encoding, got.largest, tracedBatchPoints)
		}
		if wantBinary := map[bool]int{false: 0, true: got.batches}[encoding == "binary"]; got.binary != wantBinary {
			t.Errorf("encoding %q: %d of %d batches came as binary frames, want %d", encoding, got.binary, got.batches, wantBinary)
		}
		for i, w := range want.Runs {
			if got.statuses[i] != w.Status {
				t.Errorf("%s run %d (%s): status %q, want %q", encoding, i, w.Name, got.statuses[i], w.Status)
			}
			if len(got.paths[i]) != len(w.Path) {
				t.Fatalf("%s run %d (%s): %d points streamed, /api/run gave %d", encoding, i, w.Name, len(got.paths[i]), len(w.Path))
			}
			for k := range w.Path {
				if !sameBits(got.paths[i][k][:], w.Path[k][:]) || !sameBits(got.losses[i][k:k+1], w.Loss[k:k+1]) {
					t.Fatalf("%s run %d (%s) point %d: streamed %v (%g), /api/run %v (%g)", encoding, i, w.Name, k, got.paths[i][k], got.losses[i][k], w.Path[k], w.Loss[k])
				}
			}
			if !slices.Equal(got.averages[i], w.Average) || !slices.Equal(got.evals[i], w.Evals) || !slices.Equal(got.stages[i], w.Stages) {
				t.Errorf("%s run %d (%s): streamed %d averages, %d probes and stages %v, /api/run %d, %d and %v, or they differ",
					encoding, i, w.Name, len(got.averages[i]), len(got.evals[i]), got.stages[i], len(w.Average), len(w.Evals), w.Stages)
			}
			if len(got.traces[i]) != len(w.Trace) {
				t.Fatalf("%s run %d (%s): %d trace entries streamed, /api/run gave %d", encoding, i, w.Name, len(got.traces[i]), len(w.Trace))
			}
			for k := range w.Trace {
				if string(got.traces[i][k]) != string(w.Trace[k]) {
					t.Fatalf("%s run %d (%s) trace %d: streamed %s, /api/run %s", encoding, i, w.Name, k, got.traces[i][k], w.Trace[k])
				}
			}
		}
	}
}

// sameBits reports whether a and b hold the same float64s bit for bit, so
// that -0 and 0 differ.
func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

func TestStreamBadMessagesKeepConnection(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	conn := dial(t, srv.URL)
	for _, tc := range []struct {
		msg  string
		want string
	}{
		{`not json`, "malformed JSON"},
		{`{"surface": "bowl", "optimizers": [{"name": "sgd"}]}`, "type: required"},
		{`{"type": "jump"}`, `unknown message type "jump"`},
		{`{"type": "run", "id": 1, "surface": "bowl", "optimizers": [{"name": "sgd", "lr": -1}]}`, "optimizers[0].lr: must be between 0 and 100"},
		{`{"type": "run", "id": 2, "surface": "bowl", "color": "red", "optimizers": [{"name": "sgd"}]}`, "color: unknown field"},
		{`{"type": "run", "id": 2, "encoding": "msgpack", "surface": "bowl", "optimizers": [{"name": "sgd"}]}`, `encoding: "msgpack" is not an encoding of points; expected "json" or "binary"`},
	} {
		if err := conn.WriteMessage(websocket.TextMessage, []byte(tc.msg)); err != nil {
			t.Fatal(err)
		}
		msg := readMessage(t, conn)
		if msg.Type != "error" || !strings.Contains(msg.Error, tc.want) {
			t.Errorf("%s: got %s %q, want an error containing %q", tc.msg, msg.Type, msg.Error, tc.want)
		}
	}
	if err := conn.WriteMessage(websocket.BinaryMessage, []byte{1, 2}); err != nil {
		t.Fatal(err)
	}
	if msg := readMessage(t, conn); msg.Type != "error" || !strings.Contains(msg.Error, "binary") {
		t.Errorf("binary message: got %s %q", msg.Type, msg.Error)
	}
	// The connection still runs.
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type": "run", "id": 3, "surface": "bowl", "steps": 5, "optimizers": [{"name": "sgd"}]}`)); err != nil {
		t.Fatal(err)
	}
	got := collect(t, conn, 3, 1)
	if len(got.paths[0]) != 6 || got.statuses[0] != "max_steps" {
		t.Errorf("after errors: %d points, status %q; want 6 points, max_steps", len(got.paths[0]), got.statuses[0])
	}
}

func TestStreamNewRunCancelsOld(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	conn := dial(t, srv.URL)
	long := `{"type": "run", "id": 1, "surface": "rosenbrock", "steps": 100000, "tol": 0, "optimizers": [` +
		strings.Repeat(`{"name": "adam"},`, 7) + `{"name": "adam"}]}`
	short := `{"type": "run", "id": 2, "surface": "bowl", "steps": 10, "optimizers": [{"name": "sgd", "lr": 0.1}]}`
	for _, m := range []string{long, short} {
		if err := conn.WriteMessage(websocket.TextMessage, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	// Everything of run 1 that arrives must come before run 2 starts, and
	// run 1 must not finish: 8 × 100,001 points cannot all have been queued.
	sawSecond := false
	var doneFirst int
	for {
		msg := readMessage(t, conn)
		if msg.ID == nil {
			t.Fatalf("message without id: %+v", msg)
		}
		if *msg.ID == 1 {
			if sawSecond {
				t.Fatalf("a %s message of the cancelled run arrived after the new run started", msg.Type)
			}
			if msg.Type == "done" {
				doneFirst++
			}
			continue
		}
		sawSecond = true
		if msg.Type == "done" {
			break
		}
	}
	if doneFirst == 8 {
		t.Error("the first run finished although a new run was sent while it streamed")
	}
}

func TestWebSocketRejectsForeignOrigin(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
	_, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {"https://elsewhere.example"}})
	if err == nil {
		t.Fatal("a page from another origin could open the WebSocket")
	}
	if resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("got %v, want 403", resp)
	}
}

func TestWebSocketClosesWithGoingAway(t *testing.T) {
	t.Parallel()
	s := NewServer(Config{})
	srv := newTestServerFor(t, s)
	conn := dial(t, srv.URL)
	s.CloseWebSockets()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, _, err := conn.ReadMessage()
	if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Fatalf("got %v, want a 1001 close", err)
	}
}
