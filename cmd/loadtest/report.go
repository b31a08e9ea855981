package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// line sums up one measurement on one line, with its errors below it.
func (r result) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "load %s; clients %d (%d points each): served %d, errors %d; to last point p50 %s p90 %s p99 %s max %s; "+
		"pages %d: served %d (%d B each), p50 %s p99 %s; wall %s; server CPU %s, clients' CPU %s; "+
		"server RSS %s before, peak %s; goroutines %d before, %d after %s",
		r.load, r.clients, r.points, r.served, r.errorCount(),
		ms(percentile(r.latency, 50)), ms(percentile(r.latency, 90)), ms(percentile(r.latency, 99)), ms(percentile(r.latency, 100)),
		r.pages, r.pagesServed, r.pageBytes, ms(percentile(r.pageLatency, 50)), ms(percentile(r.pageLatency, 99)),
		ms(r.wall), ms(r.serverCPU), ms(r.clientCPU), mib(r.baseRSS), mib(r.peakRSS), r.baseline, r.after, ms(r.settled))
	for _, msg := range slices.Sorted(maps.Keys(r.errors)) {
		fmt.Fprintf(&b, "\n  %d × %s", r.errors[msg], msg)
	}
	return b.String()
}

func (r result) errorCount() int {
	n := 0
	for _, c := range r.errors {
		n += c
	}
	return n
}

// summary is the medians of the measurements of one number of clients.
type summary struct {
	clients, pages              int
	errors, served, pagesServed int
	p50, p90, p99, max, pageP99 time.Duration
	wall, serverCPU, clientCPU  time.Duration
	peakRSS                     int64
	baseline, after             int
	settled                     time.Duration
	worstErrors                 int
}

// summarise takes the median of each figure over the measurements, and the
// worst of the errors.
func summarise(rs []result) summary {
	pick := func(f func(result) time.Duration) time.Duration {
		var xs []time.Duration
		for _, r := range rs {
			xs = append(xs, f(r))
		}
		return median(xs)
	}
	count := func(f func(result) int) int {
		var xs []int
		for _, r := range rs {
			xs = append(xs, f(r))
		}
		return median(xs)
	}
	var peaks []int64
	s := summary{clients: rs[0].clients, pages: rs[0].pages}
	for _, r := range rs {
		peaks = append(peaks, r.peakRSS)
		s.worstErrors = max(s.worstErrors, r.errorCount())
	}
	s.peakRSS = median(peaks)
	s.errors = count(result.errorCount)
	s.served = count(func(r result) int { return r.served })
	s.pagesServed = count(func(r result) int { return r.pagesServed })
	s.p50 = pick(func(r result) time.Duration { return percentile(r.latency, 50) })
	s.p90 = pick(func(r result) time.Duration { return percentile(r.latency, 90) })
	s.p99 = pick(func(r result) time.Duration { return percentile(r.latency, 99) })
	s.max = pick(func(r result) time.Duration { return percentile(r.latency, 100) })
	s.pageP99 = pick(func(r result) time.Duration { return percentile(r.pageLatency, 99) })
	s.wall = pick(func(r result) time.Duration { return r.wall })
	s.serverCPU = pick(func(r result) time.Duration { return r.serverCPU })
	s.clientCPU = pick(func(r result) time.Duration { return r.clientCPU })
	s.settled = pick(func(r result) time.Duration { return r.settled })
	s.baseline = count(func(r result) int { return r.baseline })
	s.after = count(func(r result) int { return r.after })
	return s
}

// writeTable writes the summaries as a Markdown table, ready for
// docs/performance.md.
func writeTable(w io.Writer, ss []summary, repeat int) {
	if repeat > 1 {
		fmt.Fprintf(w, "Medians of %d measurements (errors: the median, and the worst in brackets).\n\n", repeat)
	}
	fmt.Fprintln(w, "| clients | errors | served | p50 | p90 | p99 | max | pages served | page p99 | wall | server CPU | clients' CPU | server peak RSS | goroutines before → after (settled in) |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, s := range ss {
		fmt.Fprintf(w, "| %d | %d (%d) | %d | %s | %s | %s | %s | %d / %d | %s | %s | %s | %s | %s | %d → %d (%s) |\n",
			s.clients, s.errors, s.worstErrors, s.served, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max),
			s.pagesServed, s.pages, ms(s.pageP99), ms(s.wall), ms(s.serverCPU), ms(s.clientCPU), mib(s.peakRSS),
			s.baseline, s.after, ms(s.settled))
	}
}

// ms writes a duration in milliseconds, or seconds from 10 s up.
func ms(d time.Duration) string {
	if d >= 10*time.Second {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

// mib writes a size in mebibytes.
func mib(b int64) string {
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}
