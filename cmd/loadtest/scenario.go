package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// scenario is an entry of GET /api/scenarios, as far as the load test
// needs it.
type scenario struct {
	ID  string `json:"id"`
	URL string `json:"url"`
}

// fetchScenario asks the server for its scenarios and returns the one with
// this id. Its connection is closed afterwards, so that it leaves no
// goroutine behind in the server.
func fetchScenario(ctx context.Context, base, id string) (scenario, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/scenarios", nil)
	if err != nil {
		return scenario{}, err
	}
	client := http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return scenario{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return scenario{}, fmt.Errorf("GET /api/scenarios: %s", resp.Status)
	}
	var all []scenario
	if err := json.NewDecoder(resp.Body).Decode(&all); err != nil {
		return scenario{}, fmt.Errorf("GET /api/scenarios: %w", err)
	}
	var ids []string
	for _, sc := range all {
		if sc.ID == id {
			return sc, nil
		}
		ids = append(ids, sc.ID)
	}
	return scenario{}, fmt.Errorf("-scenario: no scenario %q; the server has %s", id, strings.Join(ids, ", "))
}

// pageTraceLimit is the most steps × optimizers for which the page asks
// for a trace (TRACE_LIMIT in web/static/js/app.js).
const pageTraceLimit = 20000

// runMessage is the WebSocket message that runs a scenario: its surface
// and start, its optimizers repeated in turn to n of them, each for steps
// steps with the convergence test off (tol 0), so that every client asks
// the server for the same, full amount of work. It asks for the points in
// encoding and, when traced, for a trace where the page would: when the run
// is short enough.
func runMessage(sc scenario, n, steps int, encoding string, traced bool) ([]byte, error) {
	u, err := url.Parse(sc.URL)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", sc.ID, err)
	}
	q := u.Query()
	if q.Has("starts") {
		// The page would run a cloud of starts; one start here would
		// measure far less work than the scenario asks for.
		return nil, fmt.Errorf("scenario %s: a cloud of starts (starts=) is not supported; pick another", sc.ID)
	}
	msg := map[string]any{"type": "run", "id": 1, "steps": steps, "tol": 0, "encoding": encoding, "trace": traced && steps*n <= pageTraceLimit}
	for _, key := range []string{"surface", "expr"} {
		if v := q.Get(key); v != "" {
			msg[key] = v
		}
	}
	if q.Get("normalize") == "true" {
		msg["normalize"] = true
	}
	for _, key := range []string{"start", "view"} {
		if v := q.Get(key); v != "" {
			nums, err := numbers(v)
			if err != nil {
				return nil, fmt.Errorf("scenario %s: %s: %w", sc.ID, key, err)
			}
			msg[key] = nums
		}
	}
	opts := q["opt"]
	if len(opts) == 0 {
		return nil, fmt.Errorf("scenario %s ticks no optimizer", sc.ID)
	}
	var optimizers []map[string]any
	for i := 0; i < n; i++ {
		o, err := optimizerEntry(opts[i%len(opts)])
		if err != nil {
			return nil, fmt.Errorf("scenario %s: %w", sc.ID, err)
		}
		optimizers = append(optimizers, o)
	}
	msg["optimizers"] = optimizers
	return json.Marshal(msg)
}

// numbers reads "1.5,-2" as [1.5, -2].
func numbers(s string) ([]float64, error) {
	var out []float64
	for _, part := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(part, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a list of numbers", s)
		}
		out = append(out, v)
	}
	return out, nil
}

// optimizerEntry turns the page's "adam(lr=0.05,bias_correction=false)" into
// the API's {"name": "adam", "lr": 0.05, "bias_correction": false}. Numbers
// and true or false are sent as such, other values as strings; the page's
// continuation settings, stages and sigma0 (1 if left out), become the
// continuation object.
func optimizerEntry(s string) (map[string]any, error) {
	name, args, hasArgs := strings.Cut(s, "(")
	entry := map[string]any{"name": name}
	if !hasArgs {
		return entry, nil
	}
	args, ok := strings.CutSuffix(args, ")")
	if !ok {
		return nil, fmt.Errorf("optimizer %q: expected ')' at the end", s)
	}
	continuation := map[string]any{}
	for _, kv := range strings.Split(args, ",") {
		if kv == "" { // opt=adam(), as the page reads it
			continue
		}
		key, val, found := strings.Cut(kv, "=")
		if !found {
			return nil, fmt.Errorf("optimizer %q: expected name=value, got %q", s, kv)
		}
		var v any = val
		if f, err := strconv.ParseFloat(val, 64); err == nil {
			v = f
		} else if b, err := strconv.ParseBool(val); err == nil {
			v = b
		}
		if key == "stages" || key == "sigma0" {
			continuation[key] = v
			continue
		}
		entry[key] = v
	}
	if len(continuation) > 0 {
		if _, ok := continuation["sigma0"]; !ok {
			continuation["sigma0"] = 1.0 // the page's default
		}
		entry["continuation"] = continuation
	}
	return entry, nil
}
