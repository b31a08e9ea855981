package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
)

// result is one measurement: a fresh server, n WebSocket clients and the
// page clients, all started at one instant.
type result struct {
	clients, pages int

	served, pagesServed int            // clients that got everything
	errors              map[string]int // what went wrong, counted
	latency             []time.Duration
	pageLatency         []time.Duration
	points              int   // iterates each WebSocket client received
	pageBytes           int64 // bytes one page load transferred

	load             string        // the machine's load averages before the measurement
	wall             time.Duration // from the start to the last client's end
	serverCPU        time.Duration // the server's CPU time during the load
	clientCPU        time.Duration // this process's CPU time during the load
	baseRSS, peakRSS int64
	baseline, after  int // the server's goroutines before and after
	settled          time.Duration
	back             bool // whether the goroutines came back to baseline within -settle
}

// ok reports whether every client was served in full and the goroutines
// came back.
func (r result) ok() bool {
	return r.served == r.clients && r.pagesServed == r.pages && r.back
}

// measure runs one measurement on a fresh server.
func measure(ctx context.Context, cfg config, n int) (result, error) {
	res := result{clients: n, pages: cfg.pages, errors: map[string]int{}, load: loadAverages()}
	srv, err := startServer(ctx, cfg.server, cfg.serverArgs)
	if err != nil {
		return res, err
	}
	defer srv.stop()
	sc, err := fetchScenario(ctx, srv.url(""), cfg.scenario)
	if err != nil {
		return res, err
	}
	run, err := runMessage(sc, cfg.optimizers, cfg.steps, cfg.encoding, !cfg.untraced)
	if err != nil {
		return res, err
	}

	// One client of each kind on the idle server gives the reference every
	// client must match, and warms the server as a first visitor would.
	want := streamClient(ctx, srv.addr, run)
	if want.err != nil {
		return res, fmt.Errorf("a single client on the idle server: %w", want.err)
	}
	for _, p := range want.points {
		res.points += p
	}
	load, pageBytes, err := discoverPage(ctx, srv.url(""))
	if err != nil {
		return res, fmt.Errorf("a single page load on the idle server: %w", err)
	}
	res.pageBytes = pageBytes
	time.Sleep(500 * time.Millisecond) // the probes' connections close
	if res.baseline, err = srv.goroutines(ctx); err != nil {
		return res, err
	}
	if res.baseRSS, _, err = srv.memory(); err != nil {
		return res, err
	}
	cpuBefore, err := srv.cpuTime()
	if err != nil {
		return res, err
	}
	selfBefore := selfCPU()

	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	fail := func(err error) {
		mu.Lock()
		res.errors[err.Error()]++
		mu.Unlock()
	}
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out := streamClient(ctx, srv.addr, run)
			if err := out.check(want); err != nil {
				fail(err)
				return
			}
			mu.Lock()
			res.served++
			res.latency = append(res.latency, out.total)
			mu.Unlock()
		}()
	}
	for i := 0; i < cfg.pages; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out := pageClient(ctx, load)
			if out.err == nil && (out.requests != load.requests() || out.bytes != pageBytes) {
				out.err = fmt.Errorf("a page load got %d responses of %d bytes, want %d of %d", out.requests, out.bytes, load.requests(), pageBytes)
			}
			if out.err != nil {
				fail(out.err)
				return
			}
			mu.Lock()
			res.pagesServed++
			res.pageLatency = append(res.pageLatency, out.total)
			mu.Unlock()
		}()
	}
	began := time.Now()
	close(start)
	wg.Wait()
	res.wall = time.Since(began)
	res.clientCPU = selfCPU() - selfBefore
	cpuAfter, err := srv.cpuTime()
	if err != nil {
		return res, err
	}
	res.serverCPU = cpuAfter - cpuBefore
	if _, res.peakRSS, err = srv.memory(); err != nil {
		return res, err
	}
	res.after, res.settled, err = srv.settle(ctx, res.baseline, cfg.settle)
	if err != nil {
		return res, err
	}
	res.back = res.after <= res.baseline
	if !res.back {
		res.errors[fmt.Sprintf("the server's goroutines stayed at %d, above the baseline of %d, for %v", res.after, res.baseline, cfg.settle)]++
	}
	return res, srv.stop()
}

// loadAverages reads the machine's load averages over 1, 5 and 15 minutes,
// which say how much else it was doing: these machines are shared.
func loadAverages() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(data))[:3], " ")
}

// selfCPU is this process's CPU time so far, user and system: the clients'.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
