package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// streamTimeout bounds how long one client may wait for a message before it
// counts as not served.
const streamTimeout = 60 * time.Second

// streamOutcome is what one WebSocket client got: for each run its points
// and final status, and how long it waited from dialling to the last
// "done".
type streamOutcome struct {
	points   []int
	statuses []string
	dial     time.Duration // until the WebSocket was open
	total    time.Duration // until the last "done"
	err      error
}

// streamClient opens a WebSocket to the server at addr, sends run and reads
// every message until each of the runs it started is done.
func streamClient(ctx context.Context, addr string, run []byte) (out streamOutcome) {
	began := time.Now()
	// A buffer as large as a points message reads it in one system call.
	dialer := websocket.Dialer{HandshakeTimeout: streamTimeout, ReadBufferSize: 64 << 10}
	conn, resp, err := dialer.DialContext(ctx, "ws://"+addr+"/ws", http.Header{"Origin": {"http://" + addr}})
	if err != nil {
		if resp != nil {
			err = fmt.Errorf("dial: %w (HTTP %s)", err, resp.Status)
		}
		out.err = err
		return out
	}
	defer conn.Close()
	out.dial = time.Since(began)
	if err := conn.WriteMessage(websocket.TextMessage, run); err != nil {
		out.err = fmt.Errorf("sending the run: %w", err)
		return out
	}
	done := 0
	var buf bytes.Buffer // one buffer for every message, grown once
	for out.statuses == nil || done < len(out.statuses) {
		_ = conn.SetReadDeadline(time.Now().Add(streamTimeout))
		buf.Reset()
		kind, r, err := conn.NextReader()
		if err == nil {
			_, err = buf.ReadFrom(r)
		}
		if err != nil {
			out.err = fmt.Errorf("reading after %d of %d runs done: %w", done, len(out.statuses), err)
			return out
		}
		data := buf.Bytes()
		scan := scanMessage
		if kind == websocket.BinaryMessage {
			scan = scanFrame
		}
		m, err := scan(data)
		if err != nil {
			out.err = fmt.Errorf("message %.80q: %w", data, err)
			return out
		}
		switch {
		case m.Type == "error":
			out.err = fmt.Errorf("the server answered: %s", m.Error)
			return out
		case m.Type == "started" && out.statuses == nil && m.Runs > 0:
			out.points = make([]int, m.Runs)
			out.statuses = make([]string, m.Runs)
		case (m.Type == "points" || m.Type == "done") && out.statuses != nil && m.Run >= 0 && m.Run < len(out.statuses):
			if m.Type == "points" {
				out.points[m.Run] += m.Points
			} else if out.statuses[m.Run] == "" {
				out.statuses[m.Run] = m.Status
				done++
			}
		default:
			out.err = fmt.Errorf("unexpected message %.80q", data)
			return out
		}
	}
	out.total = time.Since(began)
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	_ = conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
	return out
}

// check compares what a client got with the reference: the same number of
// runs, each with the same points and status.
func (o streamOutcome) check(want streamOutcome) error {
	if o.err != nil {
		return o.err
	}
	if len(o.points) != len(want.points) {
		return fmt.Errorf("%d runs, want %d", len(o.points), len(want.points))
	}
	for i := range o.points {
		if o.points[i] != want.points[i] || o.statuses[i] != want.statuses[i] {
			return fmt.Errorf("run %d: %d points ending %s, want %d ending %s", i, o.points[i], o.statuses[i], want.points[i], want.statuses[i])
		}
	}
	return nil
}
