package main

import (
	"context"
	"flag"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestRunServesAndShutsDown starts the real server on a free loopback port,
// checks that it answers, then cancels its context, as SIGTERM does, and
// checks that open WebSockets are told the server is going away and that it
// stops.
func TestRunServesAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, func(string) string { return "" }, io.Discard, ready)
	}()

	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("server stopped at once: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("server never became ready")
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != "ok" {
		t.Fatalf("/healthz: %d %q", resp.StatusCode, body)
	}
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/ws", http.Header{"Origin": {"http://" + addr}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	cancel()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, _, err := conn.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Errorf("WebSocket got %v, want a 1001 close", err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v after shutdown", err)
		}
	case <-time.After(shutdownTimeout + 2*time.Second):
		t.Fatal("server did not stop after its context ended")
	}
}

func TestPortOverridesAddr(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	env := func(k string) string {
		if k == "PORT" {
			return "0"
		}
		return ""
	}
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:1"}, env, io.Discard, ready) }()
	select {
	case addr := <-ready:
		if strings.HasSuffix(addr, ":1") {
			t.Errorf("listening on %s: PORT was ignored", addr)
		}
	case err := <-done:
		t.Fatalf("server failed: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("server never became ready")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestBadFlag(t *testing.T) {
	err := run(context.Background(), []string{"-nope"}, func(string) string { return "" }, io.Discard, nil)
	if err == nil {
		t.Fatal("an unknown flag was accepted")
	}
}

func TestEnvironmentSetsFlags(t *testing.T) {
	flags := flag.NewFlagSet("t", flag.ContinueOnError)
	format := flags.String("log-format", "auto", "")
	origins := flags.String("allowed-origins", "", "")
	if err := flags.Parse([]string{"-log-format", "text"}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SADDLEPOINT_LOG_FORMAT": "json", "SADDLEPOINT_ALLOWED_ORIGINS": "https://a.example"}
	if err := flagsFromEnv(flags, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if *format != "text" || *origins != "https://a.example" {
		t.Errorf("log-format %q (the flag must win), allowed-origins %q (from the environment)", *format, *origins)
	}
	if err := run(context.Background(), nil, func(k string) string {
		return map[string]string{"SADDLEPOINT_LOG_FORMAT": "xml"}[k]
	}, io.Discard, nil); err == nil || !strings.Contains(err.Error(), "log-format") {
		t.Errorf("a bad SADDLEPOINT_LOG_FORMAT gave %v", err)
	}
}

func TestHealthcheckFlag(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	noEnv := func(string) string { return "" }
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-log-format", "json"}, noEnv, io.Discard, ready)
	}()
	addr := <-ready
	if err := run(context.Background(), []string{"-healthcheck", "-addr", addr}, noEnv, io.Discard, nil); err != nil {
		t.Errorf("healthcheck of a running server: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"-healthcheck", "-addr", addr}, noEnv, io.Discard, nil); err == nil {
		t.Error("healthcheck passed with no server")
	}
}
