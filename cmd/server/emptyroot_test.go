package main

import (
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestStaticBinaryInEmptyRoot proves the binary needs nothing from its file
// system, as the image (FROM scratch) gives it nothing: it builds the static
// binary, runs it as an unprivileged user (nobody) in an empty, read-only
// root holding only the binary, and checks that it serves the page, the API
// and a WebSocket run. Changing root needs root, which CI has; elsewhere the
// test skips unless CI=true.
func TestStaticBinaryInEmptyRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("this test needs root to chroot, and CI runs as root")
		}
		t.Skip("skipping: chroot needs root (CI runs it)")
	}
	root := t.TempDir()
	if err := os.Chmod(root, 0o555); err != nil { // nobody may enter, not write
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(root, 0o755) })
	bin := filepath.Join(t.TempDir(), "saddlepoint")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the static binary: %v\n%s", err, out)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(root, 0o755)
	if err := os.WriteFile(filepath.Join(root, "saddlepoint"), data, 0o555); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(root, 0o555)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command("/saddlepoint", "-addr", addr, "-log-format", "json")
	cmd.Env = []string{} // nothing from the environment either
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Chroot:     root,
		Credential: &syscall.Credential{Uid: 65534, Gid: 65534},
	}
	cmd.Dir = "/"
	var logs strings.Builder
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the binary in the empty root: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})

	base := "http://" + addr
	var resp *http.Response
	for i := 0; ; i++ {
		resp, err = http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if i > 100 {
			t.Fatalf("the binary never answered: %v\nlogs: %s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	for path, want := range map[string]string{
		"/":                   "<svg",
		"/api/surfaces":       `"rosenbrock"`,
		"/static/js/app.js":   "import",
		"/scenarios":          "momentum",
		"/plot?surface=beale": "contour",
	} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d, body lacks %q", path, resp.StatusCode, want)
		}
	}
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/ws", http.Header{"Origin": {base}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type": "run", "id": 1, "surface": "rosenbrock", "steps": 50, "optimizers": [{"name": "adam"}]}`)); err != nil {
		t.Fatal(err)
	}
	for {
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, msg, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("WebSocket run: %v", err)
		}
		if strings.Contains(string(msg), `"type":"done"`) {
			break
		}
	}
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("the binary logged errors: %s", logs.String())
	}
}
