// Command server serves Saddlepoint: the page, the JSON API and the
// WebSocket stream of optimization trajectories.
//
// Usage:
//
//	server [-addr :8080] [-dev web/static]
//
// The PORT environment variable, when set, overrides the port of -addr.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"saddlepoint/web"
)

// shutdownTimeout bounds how long in-flight requests may take to finish
// after a signal to stop.
const shutdownTimeout = 8 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// run parses the arguments, serves until ctx ends and then shuts down
// gracefully. When ready is not nil it receives the listening address once
// the server accepts connections, so tests can start the real thing.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready chan<- string) error {
	flags := flag.NewFlagSet("server", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", ":8080", "address to listen on; the PORT environment variable overrides its port")
	dev := flags.String("dev", "", "serve static assets from this directory instead of the embedded copy")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if port := getenv("PORT"); port != "" {
		host, _, err := net.SplitHostPort(*addr)
		if err != nil {
			return fmt.Errorf("-addr %q: %w", *addr, err)
		}
		*addr = net.JoinHostPort(host, port)
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	handler := web.NewServer(web.Config{Logger: logger, StaticDir: *dev})
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(handler.CloseWebSockets)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	logger.Info("serving Saddlepoint", "addr", ln.Addr().String(), "url", "http://"+displayAddr(ln.Addr()))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// displayAddr turns a listening address such as [::]:8080 into one a browser
// can open, such as localhost:8080.
func displayAddr(a net.Addr) string {
	_, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return "localhost:" + port
}
