package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestKubernetesManifests reads deploy/kubernetes and checks what the docs
// promise of it: the Deployment runs as non-root on a read-only root file
// system with no capabilities, its probes and metrics point at paths the
// server answers, it sets requests and limits, and the Service, autoscaler
// and disruption budget select or target it.
func TestKubernetesManifests(t *testing.T) {
	dir := filepath.Join("..", "..", "deploy", "kubernetes")
	docs := map[string]map[string]any{}
	for _, name := range []string{"deployment.yaml", "service.yaml", "hpa.yaml", "pdb.yaml"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		docs[doc["kind"].(string)] = doc
	}
	get := func(v any, path ...any) any {
		t.Helper()
		for _, p := range path {
			switch p := p.(type) {
			case string:
				m, ok := v.(map[string]any)
				if !ok {
					t.Fatalf("no %q in %v", p, path)
				}
				v = m[p]
			case int:
				s, ok := v.([]any)
				if !ok || p >= len(s) {
					t.Fatalf("no [%d] in %v", p, path)
				}
				v = s[p]
			}
		}
		return v
	}
	dep := docs["Deployment"]
	pod := get(dep, "spec", "template", "spec")
	c := get(pod, "containers", 0)
	if get(pod, "securityContext", "runAsNonRoot") != true || get(c, "securityContext", "readOnlyRootFilesystem") != true ||
		get(c, "securityContext", "allowPrivilegeEscalation") != false || get(c, "securityContext", "capabilities", "drop", 0) != "ALL" {
		t.Error("the Deployment does not run as non-root on a read-only root with no capabilities")
	}
	for _, k := range []string{"requests", "limits"} {
		if get(c, "resources", k, "cpu") == nil || get(c, "resources", k, "memory") == nil {
			t.Errorf("no resource %s", k)
		}
	}
	label := get(dep, "spec", "selector", "matchLabels", "app.kubernetes.io/name")
	if get(docs["Service"], "spec", "selector", "app.kubernetes.io/name") != label ||
		get(docs["PodDisruptionBudget"], "spec", "selector", "matchLabels", "app.kubernetes.io/name") != label ||
		get(docs["HorizontalPodAutoscaler"], "spec", "scaleTargetRef", "name") != get(dep, "metadata", "name") {
		t.Error("the Service, budget or autoscaler does not select the Deployment")
	}

	// The probes and the metrics annotation name paths the server answers.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, func(string) string { return "" }, io.Discard, ready)
	}()
	addr := <-ready
	for _, path := range []any{
		get(c, "readinessProbe", "httpGet", "path"),
		get(c, "livenessProbe", "httpGet", "path"),
		get(dep, "spec", "template", "metadata", "annotations", "prometheus.io/path"),
	} {
		resp, err := http.Get("http://" + addr + path.(string))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestDockerfileFinalStage checks what the docs promise of the image, which
// this test cannot build (it needs a Docker engine): the binary is built
// static, and the final stage is scratch holding only that binary, run as a
// non-root user, with the binary itself as the health check.
func TestDockerfileFinalStage(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var stages [][]string // each stage's instructions, comments dropped
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "FROM ") {
			stages = append(stages, nil)
		}
		if len(stages) == 0 {
			t.Fatalf("instruction %q before FROM", line)
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], line)
	}
	if len(stages) < 2 {
		t.Fatalf("%d stages, want a build stage and a final one", len(stages))
	}
	if build := strings.Join(stages[0], "\n"); !strings.Contains(build, "CGO_ENABLED=0 go build") {
		t.Errorf("the build stage does not build without cgo:\n%s", build)
	}
	final := stages[len(stages)-1]
	want := map[string]bool{
		"FROM scratch": false,
		"COPY --from=build /out/saddlepoint /saddlepoint": false,
		`ENTRYPOINT ["/saddlepoint"]`:                     false,
	}
	for _, line := range final {
		switch {
		case strings.HasPrefix(line, "USER "):
			user := strings.Split(strings.TrimPrefix(line, "USER "), ":")[0]
			if user == "0" || user == "root" {
				t.Errorf("the image runs as %q", user)
			}
			want["USER"] = true
		case strings.HasPrefix(line, "HEALTHCHECK "):
			if !strings.HasSuffix(line, `CMD ["/saddlepoint", "-healthcheck"]`) {
				t.Errorf("health check %q is not the binary's own", line)
			}
			want["HEALTHCHECK"] = true
		case strings.HasPrefix(line, "COPY "), strings.HasPrefix(line, "ADD "), strings.HasPrefix(line, "RUN "):
			if _, ok := want[line]; !ok {
				t.Errorf("the final stage adds more than the binary: %q", line)
			}
		}
		if _, ok := want[line]; ok {
			want[line] = true
		}
	}
	for _, need := range []string{"FROM scratch", "COPY --from=build /out/saddlepoint /saddlepoint", `ENTRYPOINT ["/saddlepoint"]`, "USER", "HEALTHCHECK"} {
		if !want[need] {
			t.Errorf("the final stage lacks %s", need)
		}
	}
}
