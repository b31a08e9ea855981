package main

import (
	"slices"
	"testing"
	"time"
)

func TestProcStatusBytes(t *testing.T) {
	t.Parallel()
	status := "Name:\tserver\nVmPeak:\t 1300000 kB\nVmHWM:\t   81234 kB\nVmRSS:\t   40000 kB\nThreads:\t7\n"
	for name, want := range map[string]int64{"VmHWM": 81234 << 10, "VmRSS": 40000 << 10, "VmSwap": -1, "Threads": -1} {
		if got := procStatusBytes(status, name); got != want {
			t.Errorf("procStatusBytes(…, %s) = %d, want %d", name, got, want)
		}
	}
}

func TestProcStatCPU(t *testing.T) {
	t.Parallel()
	// The command name may hold spaces and parentheses; utime is 250
	// ticks and stime 37.
	stat := "4242 (my (odd) server) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 37 0 0 20 0 9 0 100 1000000 500 18446744073709551615"
	got, err := procStatCPU(stat)
	if want := 2870 * time.Millisecond; err != nil || got != want {
		t.Errorf("procStatCPU = %v, %v, want %v", got, err, want)
	}
	for _, bad := range []string{"", "4242 (server", "4242 (server) S 1 2", "4242 (server) S 1 4242 4242 0 -1 4194560 1234 0 0 0 x 37 0"} {
		if _, err := procStatCPU(bad); err == nil {
			t.Errorf("procStatCPU(%q): no error", bad)
		}
	}
}

func TestMetricValue(t *testing.T) {
	t.Parallel()
	text := "# HELP go_goroutines Number of goroutines that currently exist.\n# TYPE go_goroutines gauge\ngo_goroutines_extra 3\ngo_goroutines 12\ngo_threads 8\n"
	if got, err := metricValue(text, "go_goroutines"); err != nil || got != 12 {
		t.Errorf("metricValue = %d, %v, want 12", got, err)
	}
	if _, err := metricValue(text, "saddlepoint_websockets_open"); err == nil {
		t.Error("metricValue of a missing metric: no error")
	}
	if _, err := metricValue("go_goroutines twelve\n", "go_goroutines"); err == nil {
		t.Error("metricValue of a word: no error")
	}
}

func TestServerEnv(t *testing.T) {
	t.Parallel()
	got := serverEnv([]string{"HOME=/root", "SADDLEPOINT_RATE_LIMIT=1", "PORT=9999", "PORTABLE=yes", "PATH=/bin"})
	if want := []string{"HOME=/root", "PORTABLE=yes", "PATH=/bin"}; !slices.Equal(got, want) {
		t.Errorf("serverEnv = %q, want %q", got, want)
	}
}

func TestParseCounts(t *testing.T) {
	t.Parallel()
	if got, err := parseCounts("250, 500,1000,2000"); err != nil || !slices.Equal(got, []int{250, 500, 1000, 2000}) {
		t.Errorf("parseCounts = %v, %v", got, err)
	}
	for _, bad := range []string{"", "250,", "0", "-5", "1e3", "a"} {
		if _, err := parseCounts(bad); err == nil {
			t.Errorf("parseCounts(%q): no error", bad)
		}
	}
}
