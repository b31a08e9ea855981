package main

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestRunMessage(t *testing.T) {
	t.Parallel()
	sc := scenario{ID: "x", URL: "/?surface=least-squares&normalize=true&start=-0.5,2.5&steps=200" +
		"&opt=sgd(lr=0.04)&opt=adamw(lr=0.05,weight_decay=0,bias_correction=false,stages=4)&opt=cg(variant=polak-ribiere)"}
	data, err := runMessage(sc, 4, 2000, "binary", true)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"type": "run", "id": 1.0, "steps": 2000.0, "tol": 0.0, "encoding": "binary", "trace": true,
		"surface": "least-squares", "normalize": true, "start": []any{-0.5, 2.5},
		"optimizers": []any{
			map[string]any{"name": "sgd", "lr": 0.04},
			map[string]any{"name": "adamw", "lr": 0.05, "weight_decay": 0.0, "bias_correction": false,
				"continuation": map[string]any{"stages": 4.0, "sigma0": 1.0}},
			map[string]any{"name": "cg", "variant": "polak-ribiere"},
			map[string]any{"name": "sgd", "lr": 0.04},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("runMessage =\n%s\nwant\n%v", data, want)
	}
	// The page traces runs of at most 20,000 steps × optimizers.
	for _, tc := range []struct {
		steps  int
		traced bool
		want   bool
	}{{5000, true, true}, {5001, true, false}, {2000, false, false}} {
		data, err := runMessage(sc, 4, tc.steps, "json", tc.traced)
		if err != nil {
			t.Fatal(err)
		}
		var m struct{ Trace bool }
		if err := json.Unmarshal(data, &m); err != nil || m.Trace != tc.want {
			t.Errorf("4 × %d steps, traced %v: trace %v (%v), want %v", tc.steps, tc.traced, m.Trace, err, tc.want)
		}
	}
}

// TestRunMessageEmptyArguments: opt=adam() is adam with its defaults, as
// the page reads it.
func TestRunMessageEmptyArguments(t *testing.T) {
	t.Parallel()
	if _, err := runMessage(scenario{ID: "x", URL: "/?surface=bowl&opt=adam()"}, 4, 100, "json", false); err != nil {
		t.Error(err)
	}
}

func TestRunMessageRefuses(t *testing.T) {
	t.Parallel()
	for _, u := range []string{
		"/?surface=bowl",                              // no optimizer
		"/?surface=bowl&start=1,a&opt=sgd",            // a start that is not numbers
		"/?surface=bowl&opt=sgd(lr=0.1",               // unclosed
		"/?surface=bowl&opt=sgd(lr)",                  // no value
		"/?surface=bowl&view=-1,1,-1,x&opt=sgd",       // a view that is not numbers
		"/?surface=bowl&starts=40,normal,1,1&opt=sgd", // a cloud of starts
	} {
		if data, err := runMessage(scenario{ID: "x", URL: u}, 4, 100, "binary", true); err == nil {
			t.Errorf("runMessage(%q) = %s, want an error", u, data)
		}
	}
}
