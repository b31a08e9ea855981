package main

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"testing"
)

// TestScanMessage checks the one-pass reader against messages encoded by
// encoding/json in the shapes the server sends, with numbers, strings with
// escapes, nested objects and empty arrays where they can trip a counter.
func TestScanMessage(t *testing.T) {
	t.Parallel()
	id := int64(7)
	path := make([][2]float64, 1000)
	loss := make([]float64, 1000)
	for i := range path {
		path[i] = [2]float64{-1.2 + float64(i)*1e-3, 1e-300 * float64(i)}
		loss[i] = 24.2 / float64(i+1)
	}
	tests := []struct {
		name string
		msg  any
		want message
	}{
		{"started", map[string]any{"type": "started", "id": id, "surface": "rosenbrock", "start": []float64{-1.2, 1},
			"runs": []map[string]any{
				{"name": "sgd", "params": map[string]any{"lr": 0.001, "schedule": "constant", "nesterov": false}},
				{"name": "adagrad", "params": map[string]any{"lr": 0.1, "list": []int{1, 2}}},
				{"name": "sgd", "params": map[string]any{}},
			}},
			message{Type: "started", Runs: 3}},
		{"points", map[string]any{"type": "points", "id": id, "run": 3, "path": path, "loss": loss,
			"evals": [][3]float64{{1, 2, 3}}, "stages": []map[string]any{{"from": 0, "sigma": 2}}},
			message{Type: "points", Run: 3, Points: 1000}},
		{"one point", map[string]any{"type": "points", "run": 0, "path": [][2]float64{{0, 0}}, "loss": []float64{0}},
			message{Type: "points", Points: 1}},
		{"empty loss", map[string]any{"type": "points", "run": 1, "loss": []float64{}},
			message{Type: "points", Run: 1}},
		{"spaced arrays", json.RawMessage(`{"type":"points","run":2,"path":[ [ 1 , 2 ] , [3,4] ],"loss":[ 5 , 6 ]}`),
			message{Type: "points", Run: 2, Points: 2}},
		{"blank arrays", json.RawMessage(`{"type":"started","runs":[ ],"loss":[  ]}`),
			message{Type: "started"}},
		{"done", map[string]any{"type": "done", "id": id, "run": 2, "status": "max_steps"},
			message{Type: "done", Run: 2, Status: "max_steps"}},
		{"error with escapes", map[string]any{"type": "error", "id": nil, "error": `steps: "x]}," \u00e9 must be ≤ 100000`},
			message{Type: "error", Error: `steps: "x]}," \u00e9 must be ≤ 100000`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data, err := json.Marshal(tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			got, err := scanMessage(data)
			if err != nil {
				t.Fatalf("scanMessage(%.100s): %v", data, err)
			}
			if got != tt.want {
				t.Errorf("scanMessage(%.100s) = %+v, want %+v", data, got, tt.want)
			}
			indented, _ := json.MarshalIndent(tt.msg, " ", "\t")
			if got, err := scanMessage(indented); err != nil || got != tt.want {
				t.Errorf("indented: scanMessage = %+v, %v, want %+v", got, err, tt.want)
			}
		})
	}
}

func TestScanMessageMalformed(t *testing.T) {
	t.Parallel()
	for _, data := range []string{
		``, `[]`, `"points"`, `{`, `{"type"`, `{"type":}`, `{"type":"points"`, `{"type":"points",}`,
		`{"loss":[1,2`, `{"type":"points"} {}`, `{"run":1.5}`, `{"run":"1"x}`, `{type:"done"}`,
	} {
		if m, err := scanMessage([]byte(data)); !errors.Is(err, errMalformed) {
			t.Errorf("scanMessage(%q) = %+v, %v, want errMalformed", data, m, err)
		}
	}
}

// frame builds a binary points frame as docs/api.md lays it out: the
// header's length, the header padded to a multiple of 8, then numbers.
func frame(header string, numbers int) []byte {
	for (4+len(header))%8 != 0 {
		header += " "
	}
	data := binary.LittleEndian.AppendUint32(nil, uint32(len(header)))
	data = append(data, header...)
	return append(data, make([]byte, 8*numbers)...)
}

func TestScanFrame(t *testing.T) {
	t.Parallel()
	header := `{"type":"points","id":7,"run":3,"points":2,"averages":2,"evals":0,"traces":0}`
	got, err := scanFrame(frame(header, 2*3+2*2))
	if want := (message{Type: "points", Run: 3, Points: 2}); err != nil || got != want {
		t.Errorf("scanFrame = %+v, %v, want %+v", got, err, want)
	}
	bad := map[string][]byte{
		"empty":                    {},
		"header past the end":      binary.LittleEndian.AppendUint32(nil, 100),
		"too few numbers":          frame(header, 5),
		"not whole float64s":       append(frame(header, 10), 0),
		"unaligned numbers":        append(binary.LittleEndian.AppendUint32(nil, uint32(len(header))), header...),
		"a header that is no JSON": frame(`{"type":"points","points":}`, 0),
		"not points":               frame(`{"type":"done","run":0}`, 0),
		"negative points":          frame(`{"type":"points","points":-1}`, 0),
	}
	for name, data := range bad {
		if m, err := scanFrame(data); !errors.Is(err, errMalformed) {
			t.Errorf("%s: scanFrame = %+v, %v, want errMalformed", name, m, err)
		}
	}
}

// BenchmarkScanMessage measures what a client spends on a batch of 1,000
// points: scanning the JSON message (json) against decoding it whole
// (json-unmarshal), and scanning a binary frame's header (binary).
func BenchmarkScanMessage(b *testing.B) {
	path := make([][2]float64, 1000)
	loss := make([]float64, 1000)
	for i := range path {
		path[i] = [2]float64{-1.2 + float64(i)*1.234567e-3, 1 / float64(i+3)}
		loss[i] = 24.2 / float64(i+1)
	}
	text, err := json.Marshal(map[string]any{"type": "points", "id": 1, "run": 2, "path": path, "loss": loss})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("json", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			if m, err := scanMessage(text); err != nil || m.Points != 1000 {
				b.Fatal(m, err)
			}
		}
	})
	b.Run("json-unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			var m struct {
				Type string       `json:"type"`
				Run  int          `json:"run"`
				Path [][2]float64 `json:"path"`
				Loss []float64    `json:"loss"`
			}
			if err := json.Unmarshal(text, &m); err != nil || len(m.Loss) != 1000 {
				b.Fatal(err)
			}
		}
	})
	data := frame(`{"type":"points","id":1,"run":2,"points":1000,"averages":0,"evals":0,"traces":0}`, 3000)
	b.Run("binary", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if m, err := scanFrame(data); err != nil || m.Points != 1000 {
				b.Fatal(m, err)
			}
		}
	})
}
