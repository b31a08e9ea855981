package survey

import (
	"context"
	"errors"
	"maps"
	"strconv"

	"saddlepoint/engine"
)

// ErrNoLearningRate is returned by TuneLR for a method without an lr
// parameter, such as Newton's method and the line-search methods.
var ErrNoLearningRate = errors.New("survey: the optimizer has no learning rate lr to tune")

// lrMantissas are the four values per decade of LRGrid, 10^(k/4) rounded to
// three digits.
var lrMantissas = [...]string{"1", "1.78", "3.16", "5.62"}

// LRGrid returns the learning rates TuneLR tries, in ascending order: 25
// values from 1e-5 to 10, four per decade (1, 1.78, 3.16 and 5.62 times a
// power of ten), each the float64 nearest its decimal.
func LRGrid() []float64 {
	var grid []float64
	for exp := -5; exp < 1; exp++ {
		for _, m := range lrMantissas {
			v, err := strconv.ParseFloat(m+"e"+strconv.Itoa(exp), 64)
			if err != nil {
				panic("survey: " + err.Error())
			}
			grid = append(grid, v)
		}
	}
	return append(grid, 10)
}

// Tuning is a learning-rate search: a run at every learning rate of a grid.
type Tuning struct {
	// Grid holds the learning rates tried: those of LRGrid inside the
	// range of the method's lr.
	Grid []float64
	// Runs holds the run at each learning rate of Grid.
	Runs []Outcome
	// Best is the index into Grid of the learning rate whose run ended
	// with the lowest loss, a diverged run counting as worse than any
	// other and a tie going to the larger learning rate; −1 if every run
	// diverged.
	Best int
}

// TuneLR runs the setup from start at every learning rate of LRGrid, the
// setup's other parameters as they are, and picks the best. It returns
// ErrNoLearningRate if the method has no lr parameter.
func TuneLR(ctx context.Context, s Setup, start Point) (Tuning, error) {
	t := Tuning{Best: -1}
	var lrMin, lrMax float64
	found := false
	for _, p := range s.Method.Params {
		if p.Name == "lr" {
			lrMin, lrMax, found = p.Min, p.Max, true
		}
	}
	if !found {
		return t, ErrNoLearningRate
	}
	for _, lr := range LRGrid() {
		if lr >= lrMin && lr <= lrMax {
			t.Grid = append(t.Grid, lr)
		}
	}
	t.Runs = make([]Outcome, len(t.Grid))
	resolved := s.resolved()
	err := forEach(ctx, len(t.Grid), func() func(int) {
		params := maps.Clone(resolved) // this worker's, its lr set run by run
		return func(k int) {
			params["lr"] = t.Grid[k]
			t.Runs[k] = s.runWith(params, start)
		}
	})
	if err != nil {
		return t, err
	}
	for k := len(t.Grid) - 1; k >= 0; k-- { // from the largest, so that a tie keeps it
		if r := t.Runs[k]; r.Status != engine.Diverged && (t.Best < 0 || r.Loss < t.Runs[t.Best].Loss) {
			t.Best = k
		}
	}
	return t, nil
}
