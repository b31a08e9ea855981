// Command server serves Saddlepoint: the page, the JSON API and the
// WebSocket stream of optimization trajectories.
//
// Usage:
//
//	server [-addr :8080] [-dev web/static] [-log-format auto|text|json]
//	       [-allowed-origins https://a.example,...] [-frame-ancestors https://b.example,...]
//	server -healthcheck
//
// Every flag can also be set by an environment variable, SADDLEPOINT_ and
// the flag's name in capitals with underscores (SADDLEPOINT_LOG_FORMAT); a
// flag on the command line wins. PORT, when set, overrides the port of
// -addr, as container platforms expect. -healthcheck asks a running server
// on that address for /healthz and exits 0 if it answers, 1 if not: the
// container's health check, with no shell or curl in the image.
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
	"strings"
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
	logFormat := flags.String("log-format", "auto", "log format: text, json, or auto (text on a terminal, json otherwise)")
	origins := flags.String("allowed-origins", "", "comma-separated origins (scheme://host[:port]) besides this one whose pages may open the WebSocket")
	ancestors := flags.String("frame-ancestors", "", "comma-separated origins allowed to embed the page in a frame")
	healthcheck := flags.Bool("healthcheck", false, "check that a server answers /healthz on -addr, then exit")
	rate := flags.Int("rate-limit", web.DefaultRequestsPerMinute, "API requests a minute from one client address; -1 is unlimited")
	perClient := flags.Int("max-websockets-per-address", web.DefaultWebSocketsPerClient, "WebSockets one client address may hold open; -1 is unlimited")
	maxSockets := flags.Int("max-websockets", web.DefaultMaxWebSockets, "WebSockets open on the server at once; -1 is unlimited")
	maxInFlight := flags.Int("max-inflight", web.DefaultMaxInFlight, "HTTP requests served at once before answering 503; -1 is unlimited")
	maxSurveys := flags.Int("max-surveys", web.DefaultMaxSurveys, "surveys (basins, parameter maps, fair races) computed at once; more wait -survey-wait for a turn; -1 is unlimited")
	surveyWait := flags.Duration("survey-wait", web.DefaultSurveyWait, "how long a survey waits for its turn before a 503 with Retry-After")
	budget := flags.Duration("run-budget", web.DefaultRunBudget, "how long one optimizer run may compute before it ends with status budget")
	plotCache := flags.Int("plot-cache", web.DefaultPlotCacheSize, "contour plots kept in memory to serve again, the least recently used dropped first; -1 keeps none")
	idle := flags.Duration("idle-timeout", web.DefaultIdleTimeout, "close a WebSocket silent this long with no run in flight")
	trustProxy := flags.Bool("trust-proxy", false, "take client addresses from X-Forwarded-For / X-Real-IP, set by a reverse proxy in front")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if err := flagsFromEnv(flags, getenv); err != nil {
		return err
	}
	if port := getenv("PORT"); port != "" {
		host, _, err := net.SplitHostPort(*addr)
		if err != nil {
			return fmt.Errorf("-addr %q: %w", *addr, err)
		}
		*addr = net.JoinHostPort(host, port)
	}
	if *healthcheck {
		return checkHealth(*addr)
	}
	logger, err := newLogger(*logFormat, stderr)
	if err != nil {
		return err
	}

	handler := web.NewServer(web.Config{
		Logger: logger, StaticDir: *dev,
		AllowedOrigins: splitList(*origins), FrameAncestors: splitList(*ancestors),
		Limits: web.Limits{
			RequestsPerMinute: *rate, WebSocketsPerClient: *perClient,
			MaxWebSockets: *maxSockets, MaxInFlight: *maxInFlight,
			MaxSurveys: *maxSurveys, SurveyWait: *surveyWait,
		},
		TrustProxy:    *trustProxy,
		IdleTimeout:   *idle,
		RunBudget:     *budget,
		PlotCacheSize: *plotCache,
	})
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
	handler.Drain()
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

// flagsFromEnv sets every flag not given on the command line from its
// environment variable, SADDLEPOINT_ and its name in capitals.
func flagsFromEnv(flags *flag.FlagSet, getenv func(string) string) error {
	given := map[string]bool{}
	flags.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	flags.VisitAll(func(f *flag.Flag) {
		name := envName(f.Name)
		if v := getenv(name); v != "" && !given[f.Name] && err == nil {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", name, v, e)
			}
		}
	})
	return err
}

// envName is the environment variable of a flag: log-format is
// SADDLEPOINT_LOG_FORMAT.
func envName(flagName string) string {
	return "SADDLEPOINT_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// newLogger makes the structured logger: JSON for log collectors (in a
// container), text for a person at a terminal.
func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	if format == "auto" {
		format = "json"
		if f, ok := w.(*os.File); ok && isTerminal(f) {
			format = "text"
		}
	}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("-log-format: must be auto, text or json, got %q", format)
}

// isTerminal reports whether f is a character device, as a terminal is.
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// checkHealth asks the server on addr for /healthz.
func checkHealth(addr string) error {
	url, err := healthURL(addr)
	if err != nil {
		return err
	}
	client := http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: /healthz answered %s", resp.Status)
	}
	return nil
}

// healthURL returns the URL of /healthz on the server listening on addr.
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("-addr %q: %w", addr, err)
	}
	// A server listening on every address answers on the loopback one.
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}

// splitList reads a comma-separated list, ignoring empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
