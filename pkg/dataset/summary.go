package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// SplitCount is the number of trajectories and snapshots in one split.
type SplitCount struct {
	Trajectories int
	Snapshots    int
}

// Summary describes a data set for printing. It comes from the manifest
// alone, so it also describes an incomplete data set or a shard.
type Summary struct {
	Dir             string
	FormatVersion   int
	CodeVersion     string
	CreatedAt       time.Time
	N               int
	NumTrajectories int // of the whole data set
	Present         int // trajectories written
	Complete        bool
	Shard           Shard
	Bytes           int64 // total size of the trajectory files
	Splits          map[Split]SplitCount
	ExtraArrays     []ArraySpec
	Params          json.RawMessage
}

// Summarize reads the manifest in dir and counts trajectories and snapshots
// per split. It returns the errors of ReadManifest and does not read the
// trajectory files.
func Summarize(dir string) (*Summary, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}

	s := &Summary{
		Dir:             dir,
		FormatVersion:   m.FormatVersion,
		CodeVersion:     m.CodeVersion,
		CreatedAt:       m.CreatedAt,
		N:               m.N,
		NumTrajectories: m.NumTrajectories,
		Present:         len(m.Trajectories),
		Complete:        m.Complete,
		Shard:           m.Shard,
		Splits:          make(map[Split]SplitCount, len(Splits)),
		ExtraArrays:     m.Arrays[len(standardArrays(m.N)):],
		Params:          m.Params,
	}
	for _, e := range m.Trajectories {
		count := s.Splits[e.Split]
		count.Trajectories++
		count.Snapshots += e.Snapshots
		s.Splits[e.Split] = count
		s.Bytes += e.Bytes
	}
	return s, nil
}

// String formats the summary as indented lines for a terminal.
func (s *Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "data set %s\n", s.Dir)
	fmt.Fprintf(&b, "  format version %d, code %s, created %s\n", s.FormatVersion, s.CodeVersion, s.CreatedAt.Format(time.RFC3339))
	fmt.Fprintf(&b, "  grid n=%d, shard %s, %d of %d trajectories present, complete=%v, %.1f MiB\n",
		s.N, s.Shard, s.Present, s.NumTrajectories, s.Complete, float64(s.Bytes)/(1<<20))
	for _, split := range Splits {
		c := s.Splits[split]
		fmt.Fprintf(&b, "  %-10s %6d trajectories %9d snapshots\n", split, c.Trajectories, c.Snapshots)
	}
	for _, spec := range s.ExtraArrays {
		shape := []string{"T"}
		for _, d := range spec.SnapshotShape {
			shape = append(shape, fmt.Sprint(d))
		}
		fmt.Fprintf(&b, "  extra array %s %s [%s]\n", spec.Name, spec.DType, strings.Join(shape, ", "))
	}

	var params bytes.Buffer
	if err := json.Indent(&params, s.Params, "  ", "  "); err != nil {
		params.Write(s.Params)
	}
	fmt.Fprintf(&b, "  params %s\n", params.String())
	return b.String()
}
