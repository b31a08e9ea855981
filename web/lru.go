package web

import (
	"container/list"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"
)

// lru is a bounded cache of values by key: it holds at most capacity of
// them and drops the least recently used first. Concurrent requests for a
// value that is not there wait for one computation of it (singleflight)
// rather than each computing it. It counts in requests its hits, the
// requests that shared another's computation and its misses, and keeps
// entries at its size. A capacity below zero keeps nothing.
//
// Values come out shared: nothing may change a value the cache returns.
type lru[V any] struct {
	capacity int
	requests *prometheus.CounterVec // by result: hit, shared, miss
	entries  prometheus.Gauge
	flight   singleflight.Group

	mu    sync.Mutex
	order *list.List               // of *lruEntry[V], the most recently used first
	byKey map[string]*list.Element // the elements of order by their key
}

type lruEntry[V any] struct {
	key   string
	value V
}

func newLRU[V any](capacity int, requests *prometheus.CounterVec, entries prometheus.Gauge) *lru[V] {
	return &lru[V]{capacity: capacity, requests: requests, entries: entries, order: list.New(), byKey: map[string]*list.Element{}}
}

// load returns the value stored under key, or stores and returns the one
// build returns.
func (c *lru[V]) load(key string, build func() V) V {
	if c.capacity < 0 {
		c.requests.WithLabelValues("miss").Inc()
		return build()
	}
	if v, ok := c.get(key); ok {
		c.requests.WithLabelValues("hit").Inc()
		return v
	}
	result := "shared"
	v, _, _ := c.flight.Do(key, func() (any, error) {
		// Only the caller that computes runs this function. The value may
		// have arrived between the look-up above and here.
		if v, ok := c.get(key); ok {
			result = "hit"
			return v, nil
		}
		result = "miss"
		v := build()
		c.add(key, v)
		return v, nil
	})
	c.requests.WithLabelValues(result).Inc()
	return v.(V)
}

// get returns the value stored under key and marks it as the most recently
// used.
func (c *lru[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry[V]).value, true
}

// add stores v under key, dropping the least recently used values beyond
// the capacity. Only load adds, once per key at a time (singleflight), so
// key is not there already.
func (c *lru[V]) add(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byKey[key] = c.order.PushFront(&lruEntry[V]{key: key, value: v})
	for c.order.Len() > c.capacity {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.byKey, oldest.Value.(*lruEntry[V]).key)
	}
	c.entries.Set(float64(c.order.Len()))
}
