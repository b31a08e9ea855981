package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// streamBenchRun is the run of BenchmarkStream: six first-order optimizers
// on rosenbrock, each for 10,000 steps with the gradient test off, so that
// every one sends 10,001 points (the learning rates keep sgd, momentum and
// nesterov from diverging).
const streamBenchRun = `"surface": "rosenbrock", "start": [-1.2, 1], "steps": 10000, "tol": 0, "optimizers": [
	{"name": "sgd", "lr": 0.001}, {"name": "momentum", "lr": 0.0005}, {"name": "nesterov", "lr": 0.0005},
	{"name": "adagrad", "lr": 0.1}, {"name": "rmsprop", "lr": 0.01}, {"name": "adam", "lr": 0.01}]`

// BenchmarkStream times one run of 6 optimizers × 10,000 steps through the
// WebSocket: a gorilla client on loopback sends the run message and reads
// every message until the sixth done, as the page does. It checks once,
// untimed, that the stream holds every point of every run; in the timed loop
// the client only reads the messages whole and looks for the done messages,
// so that the figure is the server's (the browser's JSON.parse is not Go's).
// It reports the bytes of the points messages per point, B/point, the
// bytes that crossed the connection per point, wire-B/point, and the CPU
// time of server and client together, cpu-ns/op.
//
// 6x10000 is the stream as the page asks for it, its points in binary
// frames. 6x10000-json asks for them as JSON, the default for other
// clients. 6x10000-json-deflate negotiates permessage-deflate (RFC 7692) as
// well, as browsers offer it, with a server that accepts it, to measure what
// compression would cost and save; the server does not accept it
// (docs/performance.md).
func BenchmarkStream(b *testing.B) {
	b.Run("6x10000", func(b *testing.B) { benchmarkStream(b, "binary", false) })
	b.Run("6x10000-json", func(b *testing.B) { benchmarkStream(b, "json", false) })
	b.Run("6x10000-json-deflate", func(b *testing.B) { benchmarkStream(b, "json", true) })
}

func benchmarkStream(b *testing.B, encoding string, deflate bool) {
	s := NewServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	s.upgrader.EnableCompression = deflate
	srv := newTestServerFor(b, s)
	var wire atomic.Int64
	dialer := websocket.Dialer{
		EnableCompression: deflate,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			return countingConn{conn, &wire}, err
		},
	}
	conn, resp, err := dialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/ws", http.Header{"Origin": {srv.URL}})
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	b.Cleanup(func() { conn.Close() })
	if got := resp.Header.Get("Sec-WebSocket-Extensions") != ""; got != deflate {
		b.Fatalf("permessage-deflate negotiated: %v, want %v", got, deflate)
	}

	const runs, points = 6, 10001
	send := func(id int) {
		msg := `{"type": "run", "id": ` + strconv.Itoa(id) + `, "encoding": "` + encoding + `", ` + streamBenchRun + `}`
		if err := conn.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
			b.Fatal(err)
		}
	}
	send(0)
	got := collect(b, conn, 0, runs)
	if binary := got.binary > 0; binary != (encoding == "binary") {
		b.Fatalf("%d of %d batches in binary frames, for encoding %q", got.binary, got.batches, encoding)
	}
	for i, p := range got.paths {
		if len(p) != points || got.statuses[i] != "max_steps" {
			b.Fatalf("run %d: %d points, status %q; want %d, max_steps", i, len(p), got.statuses[i], points)
		}
	}

	var pointBytes int
	b.ReportAllocs()
	id := 0
	wire.Store(0)
	cpu := processCPU()
	for b.Loop() {
		id++
		send(id)
		pointBytes += readStream(b, conn, runs)
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(pointBytes)/float64(id*runs*points), "B/point")
	b.ReportMetric(float64(wire.Load())/float64(id*runs*points), "wire-B/point")
}

// countingConn counts the bytes read from a connection.
type countingConn struct {
	net.Conn
	read *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

// readStream reads messages until the done messages of runs runs have come
// and returns the bytes of the points messages among them. It reads each
// message into one reused buffer, as a lean client would, and looks only at
// its kind (binary frames are points) and the start of a text message,
// where the server writes its type.
func readStream(b *testing.B, conn *websocket.Conn, runs int) (pointBytes int) {
	var buf bytes.Buffer
	for finished := 0; finished < runs; {
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		kind, r, err := conn.NextReader()
		if err != nil {
			b.Fatal(err)
		}
		buf.Reset()
		if _, err := buf.ReadFrom(r); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		head := data[:min(len(data), 32)]
		switch {
		case kind == websocket.BinaryMessage:
			pointBytes += len(data)
		case bytes.Contains(head, []byte(`"type":"done"`)):
			finished++
		case bytes.Contains(head, []byte(`"type":"points"`)):
			pointBytes += len(data)
		}
	}
	return pointBytes
}

// processCPU is the CPU time the process has used so far, in user and
// kernel mode.
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// reportCPU reports the process's CPU time per iteration since since, as
// cpu-ns/op. On a machine shared with other work, a benchmark's wall time
// (ns/op) counts the time it waited for a core; its CPU time does not.
func reportCPU(b *testing.B, since time.Duration) {
	b.ReportMetric(float64(processCPU()-since)/float64(b.N), "cpu-ns/op")
}
