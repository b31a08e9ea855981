package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// server is the Saddlepoint server under test, a child process of this one,
// so that its memory and CPU time are its own and not the clients'.
type server struct {
	cmd  *exec.Cmd
	addr string // host:port it listens on
	exit chan error

	mu   sync.Mutex
	logs []string // the last lines it logged, for errors

	stopOnce sync.Once
	stopErr  error
}

// startServer starts the binary on a free loopback port, with its default
// limits unless args change them, and waits until it listens.
func startServer(ctx context.Context, binary string, args []string) (*server, error) {
	cmd := exec.Command(binary, append([]string{"-addr", "127.0.0.1:0", "-log-format", "json"}, args...)...)
	cmd.Env = serverEnv(os.Environ())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the server %s: %w (make build makes it)", binary, err)
	}
	s := &server{cmd: cmd, exit: make(chan error, 1)}
	listening := make(chan string, 1)
	go s.readLogs(stderr, listening)
	go func() { s.exit <- cmd.Wait() }()
	select {
	case s.addr = <-listening:
		return s, nil
	case err := <-s.exit:
		return nil, fmt.Errorf("the server exited before listening (%v): %s", err, s.lastLogs())
	case <-time.After(10 * time.Second):
		s.stop()
		return nil, fmt.Errorf("the server did not listen within 10 s: %s", s.lastLogs())
	case <-ctx.Done():
		s.stop()
		return nil, ctx.Err()
	}
}

// serverEnv is this process's environment without the variables that would
// change the server's configuration, so that it runs with its defaults.
func serverEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "SADDLEPOINT_") || strings.HasPrefix(kv, "PORT=") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// readLogs keeps the server's last log lines and sends the address from the
// line that says it is serving.
func (s *server) readLogs(r io.Reader, listening chan<- string) {
	sc := bufio.NewScanner(r)
	sent := false
	for sc.Scan() {
		line := sc.Text()
		s.mu.Lock()
		s.logs = append(s.logs, line)
		if len(s.logs) > 20 {
			s.logs = s.logs[1:]
		}
		s.mu.Unlock()
		var entry struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if !sent && json.Unmarshal([]byte(line), &entry) == nil && entry.Addr != "" {
			listening <- entry.Addr
			sent = true
		}
	}
}

func (s *server) lastLogs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.logs, "\n")
}

// url is the server's address with path.
func (s *server) url(path string) string { return "http://" + s.addr + path }

// stop asks the server to shut down, as a signal from an orchestrator would,
// and kills it if it has not within 15 s. Only the first call acts; every
// call returns how the server ended.
func (s *server) stop() error {
	s.stopOnce.Do(func() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case s.stopErr = <-s.exit:
		case <-time.After(15 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.exit
			s.stopErr = errors.New("the server did not stop within 15 s of SIGTERM and was killed")
		}
	})
	return s.stopErr
}

// memory reads the server's resident memory now and at its peak, in bytes,
// from /proc/<pid>/status.
func (s *server) memory() (rss, peak int64, err error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, 0, err
	}
	return procStatusBytes(string(data), "VmRSS"), procStatusBytes(string(data), "VmHWM"), nil
}

// procStatusBytes reads a "Name:   1234 kB" line of /proc/<pid>/status, in
// bytes, or -1 when there is none.
func procStatusBytes(status, name string) int64 {
	for _, line := range strings.Split(status, "\n") {
		rest, ok := strings.CutPrefix(line, name+":")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return -1
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return -1
		}
		return kb << 10
	}
	return -1
}

// cpuTime is the CPU time the server has used, user and system, from
// /proc/<pid>/stat.
func (s *server) cpuTime() (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	return procStatCPU(string(data))
}

// clockTicks is USER_HZ, the unit of the times in /proc/<pid>/stat: 100 on
// every Linux architecture Go supports.
const clockTicks = 100

// procStatCPU reads utime + stime of a /proc/<pid>/stat line. The command
// name, in parentheses, may hold spaces, so fields are counted after its
// closing parenthesis: utime and stime are the 14th and 15th fields.
func procStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("unreadable /proc stat line %q", stat)
	}
	fields := strings.Fields(stat[i+1:]) // fields[0] is the 3rd field, state
	if len(fields) < 13 {
		return 0, fmt.Errorf("unreadable /proc stat line %q", stat)
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("unreadable /proc stat line %q", stat)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// goroutines asks the server's /metrics for go_goroutines, on a connection
// of its own that is closed afterwards so that it leaves no goroutine
// behind.
func (s *server) goroutines(ctx context.Context) (int, error) {
	client := http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url("/metrics"), nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	return metricValue(string(body), "go_goroutines")
}

// metricValue reads an unlabelled metric from Prometheus's text format.
func metricValue(text, name string) (int, error) {
	for _, line := range strings.Split(text, "\n") {
		rest, ok := strings.CutPrefix(line, name+" ")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
		if err != nil {
			return 0, fmt.Errorf("metric %s: %q is not a number", name, rest)
		}
		return int(v), nil
	}
	return 0, fmt.Errorf("metric %s: not in /metrics", name)
}

// settle waits until the server's goroutines are back to baseline or
// within elapses, and returns the last count and how long it took.
func (s *server) settle(ctx context.Context, baseline int, within time.Duration) (int, time.Duration, error) {
	began := time.Now()
	for {
		n, err := s.goroutines(ctx)
		if err != nil {
			return 0, 0, err
		}
		took := time.Since(began)
		if n <= baseline || took > within {
			return n, took, nil
		}
		select {
		case <-time.After(100 * time.Millisecond):
		case <-ctx.Done():
			return 0, 0, ctx.Err()
		}
	}
}
