package spectral

import "sync"

// parallelFor calls body(w, lo, hi) on `workers` contiguous chunks of [0, n),
// one goroutine per chunk, and waits for all. w is the chunk index, used to
// pick per-worker scratch. With one worker it runs inline.
func parallelFor(n, workers int, body func(w, lo, hi int)) {
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		body(0, 0, n)
		return
	}

	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo := w * chunk
		hi := min(lo+chunk, n)
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			body(w, lo, hi)
		}()
	}
	wg.Wait()
}
