package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	t.Parallel()
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(100-i) * time.Millisecond // 100 ms down to 1 ms
	}
	thousand := make([]time.Duration, 1000)
	for i := range thousand {
		thousand[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		name string
		ds   []time.Duration
		p    float64
		want time.Duration
	}{
		{"none", nil, 99, 0},
		{"one", []time.Duration{5}, 50, 5},
		{"p50 of 100", hundred, 50, 50 * time.Millisecond},
		{"p99 of 100", hundred, 99, 99 * time.Millisecond},
		{"max of 100", hundred, 100, 100 * time.Millisecond},
		{"p1 of 100", hundred, 1, 1 * time.Millisecond},
		{"p90 of 1000", thousand, 90, 900 * time.Millisecond},
		{"p99 of 1000", thousand, 99, 990 * time.Millisecond},
		{"p99 of 4", []time.Duration{4, 1, 3, 2}, 99, 4},
		{"p50 of 4", []time.Duration{4, 1, 3, 2}, 50, 2},
		{"p75 of 4", []time.Duration{4, 1, 3, 2}, 75, 3},
	}
	for _, tt := range tests {
		if got := percentile(tt.ds, tt.p); got != tt.want {
			t.Errorf("%s: percentile(…, %g) = %v, want %v", tt.name, tt.p, got, tt.want)
		}
	}
	if hundred[0] != 100*time.Millisecond {
		t.Error("percentile sorted its argument in place")
	}
}

func TestMedian(t *testing.T) {
	t.Parallel()
	if got := median([]int{3, 1, 2}); got != 2 {
		t.Errorf("median(3, 1, 2) = %d, want 2", got)
	}
	if got := median([]time.Duration{4, 1, 3, 2}); got != 2 {
		t.Errorf("median(4, 1, 3, 2) = %d, want 2 (the mean of 2 and 3, truncated)", got)
	}
	if got := median([]int64{10, 20}); got != 15 {
		t.Errorf("median(10, 20) = %d, want 15", got)
	}
	if got := median([]int(nil)); got != 0 {
		t.Errorf("median() = %d, want 0", got)
	}
}
