package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// Timing and size limits of a WebSocket session, after gorilla's chat example.
const (
	// writeWait is how long a single message may take to write.
	writeWait = 10 * time.Second
	// pongWait is how long the peer may stay silent before the connection
	// is considered dead.
	pongWait = 60 * time.Second
	// pingPeriod is how often we ping; it must be shorter than pongWait.
	pingPeriod = pongWait * 9 / 10
	// DefaultIdleTimeout closes a connection whose client has sent nothing
	// and has no run in flight for this long: a tab left open in a lab.
	DefaultIdleTimeout = 30 * time.Minute
	// maxMessageSize is the largest message accepted from the peer.
	maxMessageSize = maxBodyBytes
	// sendQueueLength bounds the messages waiting for the writer, so a slow
	// reader holds back the run instead of growing memory.
	sendQueueLength = 4
	// batchPoints is the most points of one run sent in one message, and
	// tracedBatchPoints the most of a traced run, whose iterates each carry
	// some fifteen numbers more: about 24 and 32 KiB in a binary frame.
	batchPoints       = 1000
	tracedBatchPoints = 250
)

// clientMessage is a message from the browser: {"type": "run", "id": 3,
// "encoding": "binary", ...the fields of a run request...} or {"type":
// "cancel"}.
type clientMessage struct {
	Type     string `json:"type"`
	ID       *int64 `json:"id"`
	Encoding string `json:"encoding"` // of the points: "json" (the default) or "binary"
	runRequest
}

const clientFields = "type, id, encoding, " + runFields

// binaryPoints reports whether a run message asks for its points as binary
// frames (appendPointsFrame) rather than JSON.
func (m *clientMessage) binaryPoints() (bool, error) {
	switch m.Encoding {
	case "", "json":
		return false, nil
	case "binary":
		return true, nil
	}
	return false, fmt.Errorf(`encoding: %q is not an encoding of points; expected "json" or "binary"`, m.Encoding)
}

// outgoing is an encoded message for the writer: JSON text, or a binary
// points frame.
type outgoing struct {
	data   []byte
	binary bool
}

// Messages to the browser. ID echoes the id of the run message they answer.
type (
	startedMessage struct {
		Type    string           `json:"type"` // "started"
		ID      *int64           `json:"id,omitempty"`
		Surface string           `json:"surface"`
		Start   surfaces.Point   `json:"start"`
		Runs    []runHeader      `json:"runs"`
		Starts  []surfaces.Point `json:"starts,omitempty"` // with many starts
	}
	runHeader struct {
		Name   string        `json:"name"`
		Params engine.Params `json:"params"`
	}
	pointsMessage struct {
		Type    string           `json:"type"` // "points"
		ID      *int64           `json:"id,omitempty"`
		Run     int              `json:"run"`
		Path    []surfaces.Point `json:"path"`
		Loss    []float64        `json:"loss"`
		Average []surfaces.Point `json:"average,omitempty"`
		Evals   [][3]float64     `json:"evals,omitempty"`
		Trace   []engine.Trace   `json:"trace,omitempty"`
		Stages  []stageStart     `json:"stages,omitempty"`

		averaged bool // whether the run records an average
		staged   bool // whether the run is a continuation run
		stage    *int // the stage of the run's last iterate sent, across batches
	}
	doneMessage struct {
		Type   string        `json:"type"` // "done"
		ID     *int64        `json:"id,omitempty"`
		Run    int           `json:"run"`
		Status engine.Status `json:"status"`
	}
	errorMessage struct {
		Type  string `json:"type"` // "error"
		ID    *int64 `json:"id,omitempty"`
		Error string `json:"error"`
	}
)

func (s *Server) handleWebSocket(w http.ResponseWriter, r *http.Request) {
	addr := clientAddress(r)
	switch s.sockets.acquire(addr, s.limits) {
	case "server":
		w.Header().Set("Retry-After", retryAfter)
		writeError(w, http.StatusServiceUnavailable, "the server holds as many WebSockets as it can; try again in a few seconds")
		return
	case "address":
		w.Header().Set("Retry-After", retryAfter)
		writeError(w, http.StatusTooManyRequests, fmt.Sprintf("this address holds %d WebSockets already, the most allowed", s.limits.WebSocketsPerClient))
		return
	}
	defer s.sockets.release(addr)
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has already answered with an HTTP error
	}
	s.metrics.websockets.Inc()
	defer s.metrics.websockets.Dec()
	sess := &session{conn: conn, send: make(chan outgoing, sendQueueLength), metrics: s.metrics, steppers: s.steppers,
		idleTimeout: s.idleTimeout, runBudget: s.runBudget}
	sess.touch()
	sess.serve(s.closing)
}

// session is one WebSocket connection. The goroutine that calls serve reads;
// one writer goroutine owns every write; at most one run goroutine at a time
// produces the stream.
type session struct {
	conn     *websocket.Conn
	send     chan outgoing
	metrics  *metrics
	steppers chan struct{} // the server's, shared by every session; nil: no bound

	idleTimeout time.Duration
	runBudget   time.Duration
	lastActive  atomic.Int64 // unix nanoseconds of the client's last message or the last run's end
	running     atomic.Bool  // a run is streaming

	run     sync.WaitGroup     // the run goroutine in flight, if any
	stopRun context.CancelFunc // cancels it
}

func (sess *session) serve(closing <-chan struct{}) {
	ctx, cancel := context.WithCancel(context.Background())
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		sess.write(ctx, closing)
	}()
	sess.read(ctx)
	sess.cancelRun()
	cancel()
	<-writerDone
	sess.conn.Close()
}

// touch records the client's activity now.
func (sess *session) touch() { sess.lastActive.Store(time.Now().UnixNano()) }

// read handles the peer's messages until the connection fails or closes.
func (sess *session) read(ctx context.Context) {
	sess.conn.SetReadLimit(maxMessageSize)
	_ = sess.conn.SetReadDeadline(time.Now().Add(pongWait))
	sess.conn.SetPongHandler(func(string) error {
		return sess.conn.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		kind, data, err := sess.conn.ReadMessage()
		if err != nil {
			return
		}
		_ = sess.conn.SetReadDeadline(time.Now().Add(pongWait))
		sess.touch()
		if kind != websocket.TextMessage {
			sess.metrics.reject("bad_message")
			sess.reply(ctx, errorMessage{Type: "error", Error: "messages must be JSON text, not binary"})
			continue
		}
		sess.handle(ctx, data)
	}
}

func (sess *session) handle(ctx context.Context, data []byte) {
	if !sess.handleMessage(ctx, data) {
		sess.metrics.reject("bad_message")
	}
}

// handleMessage acts on one message and reports whether it was good.
func (sess *session) handleMessage(ctx context.Context, data []byte) bool {
	var msg clientMessage
	if err := decodeStrict(data, &msg, clientFields); err != nil {
		sess.reply(ctx, errorMessage{Type: "error", ID: msg.ID, Error: err.Error()})
		return false
	}
	switch msg.Type {
	case "run":
		r, err := validateRun(msg.runRequest)
		binaryPoints, encodingErr := msg.binaryPoints()
		if err == nil {
			err = encodingErr
		}
		if err != nil {
			sess.reply(ctx, errorMessage{Type: "error", ID: msg.ID, Error: err.Error()})
			return false
		}
		r.limits.Budget = sess.runBudget
		sess.cancelRun()
		runCtx, stop := context.WithCancel(ctx)
		sess.stopRun = stop
		sess.run.Add(1)
		sess.running.Store(true)
		go func() {
			defer sess.run.Done()
			defer func() { sess.running.Store(false); sess.touch() }()
			sess.stream(runCtx, msg.ID, r, binaryPoints)
		}()
	case "cancel":
		sess.cancelRun()
	case "":
		sess.reply(ctx, errorMessage{Type: "error", ID: msg.ID, Error: `type: required, "run" or "cancel"`})
		return false
	default:
		sess.reply(ctx, errorMessage{Type: "error", ID: msg.ID, Error: `type: unknown message type "` + msg.Type + `", expected "run" or "cancel"`})
		return false
	}
	return true
}

// cancelRun stops the run in flight, if any, and waits until it has stopped
// sending, so the stream of a new run never interleaves with an old one.
func (sess *session) cancelRun() {
	if sess.stopRun != nil {
		sess.stopRun()
		sess.stopRun = nil
	}
	sess.run.Wait()
}

// stream announces the runs of r, then steps every optimizer in turn, a batch
// of points at a time, and queues the points (as binary frames when
// binaryPoints) and the final status of each run for the writer.
func (sess *session) stream(ctx context.Context, id *int64, r run, binaryPoints bool) {
	began := time.Now()
	jobs := r.jobs()
	headers := make([]runHeader, len(jobs))
	trajectories := make([]*engine.Trajectory, len(jobs))
	for i, j := range jobs {
		headers[i] = runHeader{Name: j.choice.method.Name, Params: j.choice.params}
		trajectories[i] = engine.NewTrajectory(r.surface.TwiceDifferentiable, j.choice.newOptimizer(), j.start, r.limits, r.options(j.choice)...)
	}
	started := startedMessage{Type: "started", ID: id, Surface: r.surface.Name, Start: r.start, Runs: headers, Starts: r.starts}
	if !sess.reply(ctx, started) {
		return
	}
	s := runStream{id: id, jobs: jobs, trajectories: trajectories, began: began, binary: binaryPoints, batchPoints: batchPoints}
	if r.trace {
		s.batchPoints = tracedBatchPoints
	}
	// The runs are independent: on a server with two cores, two goroutines
	// step and encode them, each taking its share of the runs in turn, so
	// that a run of several optimizers streams in about half the time. The
	// batches of one run stay in order, and its done follows them.
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var mine []int
			for i := w; i < len(jobs); i += workers {
				mine = append(mine, i)
			}
			sess.streamRuns(ctx, &s, mine)
		})
	}
	wg.Wait()
}

// runStream is what the goroutines streaming the runs of one request share.
type runStream struct {
	id           *int64
	jobs         []job
	trajectories []*engine.Trajectory // each goroutine sets only its runs' to nil, when done
	began        time.Time
	binary       bool // points in binary frames
	batchPoints  int  // the most points in one message
}

// streamRuns steps the trajectories of the runs listed in turn, a batch of
// points at a time, and queues each batch and each run's final status for
// the writer.
func (sess *session) streamRuns(ctx context.Context, s *runStream, runs []int) {
	counts := make([]int, len(s.jobs)) // iterates sent so far, per run
	stages := make([]int, len(s.jobs)) // the stage of each run's last iterate sent
	for active := len(runs); active > 0; {
		for _, i := range runs {
			tr := s.trajectories[i]
			if tr == nil {
				continue
			}
			msg, ok := sess.step(ctx, s, i, &counts[i], &stages[i])
			if !ok {
				return
			}
			if msg.data != nil && !sess.queue(ctx, msg) {
				return
			}
			if status := tr.Status(); status != engine.Running {
				sess.metrics.finished(s.jobs[i].choice.method.Name, status, counts[i], time.Since(s.began))
				if !sess.reply(ctx, doneMessage{Type: "done", ID: s.id, Run: i, Status: status}) {
					return
				}
				s.trajectories[i] = nil
				active--
			}
		}
	}
}

// step steps run i for a batch of points, counting them in count and its
// stage in stage, and returns the batch encoded: no data when the run had
// no more points, an error message if a number could not be encoded. It
// waits for one of the server's steppers to be free, and reports false when
// ctx ends first.
//
// A server has as many steppers as cores, so that however many clients are
// streaming, a batch is stepped without waiting for a core, and the run's
// budget, its time stepping, counts its own work: not the wait for a
// stepper, for the reader or for the other runs' turns. A batch is only
// scratch between stepping and encoding, so the batches of every stream
// are the few that the steppers hold at once (batches), and a stream waiting
// for its reader holds only encoded messages.
func (sess *session) step(ctx context.Context, s *runStream, i int, count, stage *int) (outgoing, bool) {
	if sess.steppers != nil {
		select {
		case sess.steppers <- struct{}{}:
			defer func() { <-sess.steppers }()
		case <-ctx.Done():
			return outgoing{}, false
		}
	}
	batch := batches.Get().(*pointsMessage)
	defer func() {
		clear(batch.Trace[:cap(batch.Trace)]) // let the collector have the traces
		batches.Put(batch)
	}()
	tr := s.trajectories[i]
	batch.reset(s.id, i, tr.Averaged(), s.jobs[i].choice.continuation != nil, stage)
	for len(batch.Path) < s.batchPoints && tr.Next() {
		batch.add(*count, tr.Iterate())
		*count++
	}
	tr.Pause()
	if len(batch.Path) == 0 {
		return outgoing{}, true
	}
	encode := appendPoints
	if s.binary {
		encode = appendPointsFrame
	}
	data, err := encode(newMessageBuffer(), batch)
	if err != nil {
		recycleMessageBuffer(data)
		return jsonMessage(errorMessage{Type: "error", ID: s.id, Error: "internal error: " + err.Error()}), true
	}
	return outgoing{data: data, binary: s.binary}, true
}

// batches holds the scratch batches of the streams, for reuse.
var batches = sync.Pool{New: func() any { return new(pointsMessage) }}

// reset empties the batch, keeping its room, for the next batch of run i.
func (m *pointsMessage) reset(id *int64, i int, averaged, staged bool, stage *int) {
	*m = pointsMessage{Type: "points", ID: id, Run: i, Path: m.Path[:0], Loss: m.Loss[:0],
		Average: m.Average[:0], Evals: m.Evals[:0], Trace: m.Trace[:0], Stages: m.Stages[:0],
		averaged: averaged, staged: staged, stage: stage}
}

// add appends iterate k to the batch, with its average, the probes that led
// to it and its trace when the run records them.
func (m *pointsMessage) add(k int, it engine.Iterate) {
	m.Path = append(m.Path, it.Theta)
	m.Loss = append(m.Loss, it.Loss)
	if m.averaged {
		m.Average = append(m.Average, it.Average)
	}
	for _, p := range it.Probes {
		m.Evals = append(m.Evals, [3]float64{float64(k), p[0], p[1]})
	}
	if it.Trace != nil {
		m.Trace = append(m.Trace, *it.Trace)
	}
	if m.staged && (k == 0 || it.Stage != *m.stage) {
		m.Stages = append(m.Stages, stageStart{From: k, Sigma: it.Sigma})
		*m.stage = it.Stage
	}
}

// reply encodes v and queues it for the writer. It reports false, dropping v,
// when ctx ends first.
func (sess *session) reply(ctx context.Context, v any) bool {
	return sess.queue(ctx, jsonMessage(v))
}

// jsonMessage is v encoded as a JSON message, or an error message saying why
// it could not be.
func jsonMessage(v any) outgoing {
	data, err := json.Marshal(v)
	if err != nil {
		data, _ = json.Marshal(errorMessage{Type: "error", Error: "internal error: " + err.Error()})
	}
	return outgoing{data: data}
}

// queue hands an encoded message to the writer. It reports false, dropping
// it, when ctx ends first.
func (sess *session) queue(ctx context.Context, msg outgoing) bool {
	select {
	case sess.send <- msg:
		return true
	case <-ctx.Done():
		return false
	}
}

// write sends queued messages and pings until ctx ends or a write fails. When
// the server starts closing, it says goodbye with a 1001 close frame.
func (sess *session) write(ctx context.Context, closing <-chan struct{}) {
	ticker := time.NewTicker(pingPeriod)
	defer ticker.Stop()
	idle := time.NewTicker(min(pingPeriod, sess.idleTimeout/4))
	defer idle.Stop()
	for {
		select {
		case <-idle.C:
			if !sess.running.Load() && time.Since(time.Unix(0, sess.lastActive.Load())) > sess.idleTimeout {
				msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "idle for too long; reload to go on")
				_ = sess.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(writeWait))
				sess.conn.Close()
				return
			}
		case msg := <-sess.send:
			_ = sess.conn.SetWriteDeadline(time.Now().Add(writeWait))
			kind := websocket.TextMessage
			if msg.binary {
				kind = websocket.BinaryMessage
			}
			err := sess.conn.WriteMessage(kind, msg.data)
			recycleMessageBuffer(msg.data)
			if err != nil {
				sess.conn.Close() // unblocks the reader
				return
			}
		case <-ticker.C:
			_ = sess.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if err := sess.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				sess.conn.Close()
				return
			}
		case <-closing:
			msg := websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down")
			_ = sess.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(writeWait))
			sess.conn.Close()
			return
		case <-ctx.Done():
			return
		}
	}
}
