// Command loadtest puts a lecture hall on one Saddlepoint server: it starts
// the server's binary as a child process, then at one instant opens many
// WebSocket clients, each running a scenario's optimizers for thousands of
// steps and reading every point to the last "done", while other clients
// load the page and every asset it references. It reports errors, the time
// each client waited for its last point, the server's peak memory (VmHWM
// of /proc/<pid>/status) and CPU time, and whether the server's goroutines
// came back to where they were before the load.
//
// Usage:
//
//	loadtest [-server bin/saddlepoint] [-clients 1000] [-pages 200]
//	         [-scenario adagrad-decay] [-optimizers 4] [-steps 2000]
//	         [-growth 250,500,1000,2000] [-repeat 3] [-server-args '-run-budget=1m']
//
// The server runs with its default limits, as it would in a lecture hall
// behind one NAT address: every client here comes from 127.0.0.1. Each
// measurement starts a fresh server, so that its peak memory is that
// measurement's. With -growth, each number of clients is measured -repeat
// times and the medians are reported.
//
// make loadtest builds the server and runs this with the defaults.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// config is what the flags ask for.
type config struct {
	server     string
	serverArgs []string
	clients    []int
	pages      int
	scenario   string
	optimizers int
	steps      int
	encoding   string
	untraced   bool
	repeat     int
	settle     time.Duration
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	flags.SetOutput(stderr)
	var cfg config
	flags.StringVar(&cfg.server, "server", "bin/saddlepoint", "the server binary to start (make build makes it)")
	serverArgs := flags.String("server-args", "", "space-separated flags for the server, such as -run-budget=1m, to see what a limit costs; the goal is met with none")
	clients := flags.Int("clients", 1000, "WebSocket clients at once")
	growth := flags.String("growth", "", "comma-separated numbers of clients to measure in turn, such as 250,500,1000,2000; overrides -clients")
	flags.IntVar(&cfg.pages, "pages", 200, "clients loading the page and its assets at the same time")
	flags.StringVar(&cfg.scenario, "scenario", "adagrad-decay", "the scenario (an id of GET /api/scenarios) whose surface, start and optimizers each client runs")
	flags.IntVar(&cfg.optimizers, "optimizers", 4, "optimizers per run: the scenario's, repeated in turn to this many (1 to 8)")
	flags.IntVar(&cfg.steps, "steps", 2000, "steps of each optimizer; the convergence test is off, so every run takes them all")
	flags.StringVar(&cfg.encoding, "encoding", "binary", "how the clients ask for the points: binary, as the page does, or json")
	flags.BoolVar(&cfg.untraced, "untraced", false, "ask for no trace, where the page asks for one on runs of at most 20,000 steps × optimizers")
	flags.IntVar(&cfg.repeat, "repeat", 1, "measurements of each number of clients, each on a fresh server; medians are reported")
	flags.DurationVar(&cfg.settle, "settle", 10*time.Second, "how long the server's goroutines may take to come back to their baseline after the load")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	cfg.serverArgs = strings.Fields(*serverArgs)
	cfg.clients = []int{*clients}
	if *growth != "" {
		var err error
		if cfg.clients, err = parseCounts(*growth); err != nil {
			return fmt.Errorf("-growth: %w", err)
		}
	}
	switch {
	case cfg.clients[0] < 1 && cfg.pages < 1:
		return fmt.Errorf("-clients and -pages: at least one client of either kind is needed")
	case cfg.optimizers < 1 || cfg.optimizers > 8:
		return fmt.Errorf("-optimizers: must be from 1 to 8, got %d", cfg.optimizers)
	case cfg.steps < 1:
		return fmt.Errorf("-steps: must be at least 1, got %d", cfg.steps)
	case cfg.repeat < 1:
		return fmt.Errorf("-repeat: must be at least 1, got %d", cfg.repeat)
	case cfg.encoding != "binary" && cfg.encoding != "json":
		return fmt.Errorf("-encoding: must be binary or json, got %q", cfg.encoding)
	}
	if err := raiseFileLimit(); err != nil {
		return err
	}
	// The clients share the machine's cores with the server; collecting
	// their short-lived garbage a quarter as often leaves it more of them.
	debug.SetGCPercent(400)

	var summaries []summary
	failed := false
	for _, n := range cfg.clients {
		var results []result
		for i := 0; i < cfg.repeat; i++ {
			res, err := measure(ctx, cfg, n)
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, res.line())
			results = append(results, res)
			failed = failed || !res.ok()
		}
		summaries = append(summaries, summarise(results))
	}
	fmt.Fprintln(stdout)
	writeTable(stdout, summaries, cfg.repeat)
	if failed {
		return fmt.Errorf("some clients were not served in full (see the errors above)")
	}
	return nil
}

// parseCounts reads a comma-separated list of positive numbers of clients.
func parseCounts(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("want positive whole numbers such as 250,500,1000, got %q", part)
		}
		out = append(out, n)
	}
	return out, nil
}

// raiseFileLimit lifts the soft limit on open files to the hard one: every
// client holds a socket, and so does the server for each, and the server
// inherits this limit. (Setting it explicitly is what makes a child process
// inherit the raised limit rather than the original one.)
func raiseFileLimit() error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("reading the open-file limit: %w", err)
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("raising the open-file limit to %d: %w", lim.Max, err)
	}
	return nil
}
