package contour

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// chunkNodes is about how many grid nodes make one chunk of work: enough
// that handing a chunk to a goroutine costs nothing in comparison, few
// enough that the chunks of a 512 × 512 grid keep every core busy to the
// end.
const chunkNodes = 16384

// A split says how the rows of a grid are shared out: in chunks of rows
// rows each, handed in order to up to workers goroutines. Whatever the
// split, every result is the same bit for bit, each chunk writing only its
// own part of it; the split only decides how fast it comes.
type split struct {
	workers int
	rows    int
}

// splitFor returns the split of a grid with rows of nx nodes over every
// core: runtime.GOMAXPROCS(0) workers and chunks of about chunkNodes nodes.
func splitFor(nx int) split {
	return split{workers: runtime.GOMAXPROCS(0), rows: max(1, chunkNodes/nx)}
}

// chunks returns how many chunks n rows make.
func (s split) chunks(n int) int {
	return (n + s.rows - 1) / s.rows
}

// rowRange returns the rows [lo, hi) of chunk c of n rows.
func (s split) rowRange(c, n int) (lo, hi int) {
	return c * s.rows, min((c+1)*s.rows, n)
}

// forEach calls work(c) for every c in [0, n) on up to workers goroutines,
// the calling one among them, handing out the indices in increasing order
// one at a time so that a slow chunk holds up no other, and returns once
// every call has returned. With one worker, or one index, it simply loops.
// A panic in any call is raised again in the caller's goroutine, once the
// other workers have stopped, so that a recovering caller sees it as it
// would without the workers.
func forEach(workers, n int, work func(c int)) {
	workers = min(workers, n)
	if workers <= 1 {
		for c := range n {
			work(c)
		}
		return
	}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		panicked atomic.Pointer[any]
	)
	run := func() {
		defer func() {
			if v := recover(); v != nil {
				panicked.CompareAndSwap(nil, &v)
			}
		}()
		for panicked.Load() == nil {
			c := int(next.Add(1) - 1)
			if c >= n {
				return
			}
			work(c)
		}
	}
	for range workers - 1 {
		wg.Go(run)
	}
	run()
	wg.Wait()
	if v := panicked.Load(); v != nil {
		panic(*v)
	}
}
