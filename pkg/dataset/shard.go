package dataset

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard selects the trajectories that one worker of a sharded run generates:
// trajectory k belongs to shard Index of Count when k mod Count == Index, so
// the shards of a run are disjoint, cover every trajectory and differ in size
// by at most one. The zero value means the whole data set, like "0/1".
type Shard struct {
	Index int // 0 <= Index < Count
	Count int // number of shards, >= 1; 0 is read as 1
}

// ParseShard parses a shard specification "i/n" such as "3/8", with
// 0 <= i < n. It returns an error wrapping ErrShardSpec that names the value
// for any other text, for example "8/8", "0/0" or "3".
func ParseShard(spec string) (Shard, error) {
	invalid := func(reason string) (Shard, error) {
		return Shard{}, fmt.Errorf("dataset: %w %q: %s; use i/n with 0 <= i < n, for example 3/8",
			ErrShardSpec, spec, reason)
	}

	indexText, countText, found := strings.Cut(strings.TrimSpace(spec), "/")
	if !found {
		return invalid("missing '/'")
	}

	index, err := strconv.Atoi(indexText)
	if err != nil {
		return invalid(fmt.Sprintf("shard index %q is not an integer", indexText))
	}
	count, err := strconv.Atoi(countText)
	if err != nil {
		return invalid(fmt.Sprintf("shard count %q is not an integer", countText))
	}

	if count < 1 {
		return invalid(fmt.Sprintf("shard count %d must be at least 1", count))
	}
	shard := Shard{Index: index, Count: count}
	if err := shard.validate(); err != nil {
		return invalid(err.Error())
	}
	return shard, nil
}

func (s Shard) validate() error {
	switch {
	case s.Count < 0:
		return fmt.Errorf("shard count %d is negative", s.Count)
	case s.Count == 0 && s.Index != 0:
		return fmt.Errorf("shard count is 0")
	case s.Index < 0:
		return fmt.Errorf("shard index %d is negative", s.Index)
	case s.Count > 0 && s.Index >= s.Count:
		return fmt.Errorf("shard index %d must be less than the shard count %d", s.Index, s.Count)
	}
	return nil
}

func (s Shard) normalized() Shard {
	if s.Count == 0 {
		return Shard{Index: 0, Count: 1}
	}
	return s
}

// String returns the specification "i/n" that ParseShard reads.
func (s Shard) String() string {
	s = s.normalized()
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Contains reports whether trajectory index k belongs to the shard.
func (s Shard) Contains(k int) bool {
	s = s.normalized()
	return k >= 0 && k%s.Count == s.Index
}

// Indices returns the trajectory indices in [0, total) that belong to the
// shard, in increasing order.
func (s Shard) Indices(total int) []int {
	s = s.normalized()
	var indices []int
	for k := s.Index; k < total; k += s.Count {
		indices = append(indices, k)
	}
	return indices
}

// MarshalText writes the shard as "i/n" in the manifest.
func (s Shard) MarshalText() ([]byte, error) {
	return []byte(s.String()), nil
}

// UnmarshalText reads "i/n" with ParseShard.
func (s *Shard) UnmarshalText(text []byte) error {
	shard, err := ParseShard(string(text))
	if err != nil {
		return err
	}
	*s = shard
	return nil
}
