package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// startServer runs the server with args and env until the test ends or
// stop is called, and returns the address it listens on; it fails the test
// if the server stops at once or is not ready within 10 s. stop, which may
// be called again, returns what run returned.
func startServer(t *testing.T, args []string, env func(string) string) (addr string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, env, io.Discard, ready) }()
	stop = sync.OnceValue(func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(shutdownTimeout + 2*time.Second):
			return fmt.Errorf("server did not stop after its context ended")
		}
	})
	select {
	case addr = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("server stopped at once: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("server never became ready")
	}
	t.Cleanup(func() { _ = stop() })
	return addr, stop
}

// noEnv is an empty environment.
func noEnv(string) string { return "" }

// TestRunServesAndShutsDown starts the real server on a free loopback port,
// checks that it answers, then cancels its context, as SIGTERM does, and
// checks that open WebSockets are told the server is going away and that it
// stops.
func TestRunServesAndShutsDown(t *testing.T) {
	addr, stop := startServer(t, []string{"-addr", "127.0.0.1:0"}, noEnv)
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

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, _, err := conn.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Errorf("WebSocket got %v, want a 1001 close", err)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("after shutdown: %v", err)
	}
}

func TestPortOverridesAddr(t *testing.T) {
	env := func(k string) string {
		if k == "PORT" {
			return "0"
		}
		return ""
	}
	addr, stop := startServer(t, []string{"-addr", "127.0.0.1:1"}, env)
	if strings.HasSuffix(addr, ":1") {
		t.Errorf("listening on %s: PORT was ignored", addr)
	}
	if err := stop(); err != nil {
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

// TestHealthURL: the health check asks the server at the host of -addr,
// and at the loopback address when -addr names no host or the unspecified
// address, on which a server listens on every address.
func TestHealthURL(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8080":   "http://127.0.0.1:8080/healthz",
		"127.0.0.2:8080":   "http://127.0.0.2:8080/healthz",
		"localhost:8080":   "http://localhost:8080/healthz",
		"[::1]:8080":       "http://[::1]:8080/healthz",
		":8080":            "http://127.0.0.1:8080/healthz",
		"0.0.0.0:8080":     "http://127.0.0.1:8080/healthz",
		"[::]:8080":        "http://127.0.0.1:8080/healthz",
		"example.org:8080": "http://example.org:8080/healthz",
	} {
		if got, err := healthURL(addr); err != nil || got != want {
			t.Errorf("healthURL(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
	if got, err := healthURL("8080"); err == nil || !strings.Contains(err.Error(), "-addr") {
		t.Errorf("healthURL(%q) = %q, %v; want an error about -addr", "8080", got, err)
	}
}

// TestHealthcheckFlag: -healthcheck passes against a running server, on
// the loopback address, on another address the server listens on, and on a
// server listening on every address, which an -addr of 0.0.0.0 or with no
// host at all reaches through the loopback address; and it fails with no
// server.
func TestHealthcheckFlag(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "127.0.0.2", "0.0.0.0"} {
		t.Run(host, func(t *testing.T) {
			if host == "127.0.0.2" {
				// All of 127.0.0.0/8 is loopback on Linux, but not on every
				// system.
				ln, err := net.Listen("tcp", host+":0")
				if err != nil {
					t.Skipf("cannot listen on %s here (%v): no second loopback address to check", host, err)
				}
				ln.Close()
			}
			listening, stop := startServer(t, []string{"-addr", host + ":0", "-log-format", "json"}, noEnv)
			_, port, err := net.SplitHostPort(listening)
			if err != nil {
				t.Fatal(err)
			}
			addrs := []string{net.JoinHostPort(host, port)}
			if host == "0.0.0.0" {
				addrs = append(addrs, ":"+port)
			}
			for _, addr := range addrs {
				if err := run(context.Background(), []string{"-healthcheck", "-addr", addr}, noEnv, io.Discard, nil); err != nil {
					t.Errorf("healthcheck of a server on %s: %v", addr, err)
				}
			}
			if err := stop(); err != nil {
				t.Fatal(err)
			}
			for _, addr := range addrs {
				if err := run(context.Background(), []string{"-healthcheck", "-addr", addr}, noEnv, io.Discard, nil); err == nil {
					t.Errorf("healthcheck passed with no server on %s", addr)
				}
			}
		})
	}
}
