package studies

import (
	"errors"
	"fmt"
	"slices"

	"github.com/closure-lab/closure/pkg/dataset"
)

// MergeDataEfficiency joins the results of the shards of one data-efficiency
// study (DataEfficiencyConfig.Shard) into the result that one unsharded call
// would have returned, with the runs in the study's nesting order. Seconds
// and Resumed are summed over the shards.
//
// It returns an error naming the problem when the results belong to studies
// with different fingerprints, when a shard is missing or given twice, or
// when a run is missing, repeated or not part of the study. A failed run
// (DataEfficiencyRun.Error) counts as present: its shard finished it.
func MergeDataEfficiency(shards []*DataEfficiencyResult) (*DataEfficiencyResult, error) {
	if len(shards) == 0 {
		return nil, errors.New("studies: no data-efficiency results to merge")
	}
	if err := checkShardSet(shards); err != nil {
		return nil, err
	}

	first := shards[0]
	merged := *first
	merged.Shard, merged.Runs, merged.Seconds, merged.Resumed = nil, nil, 0, 0
	found := map[runKey]DataEfficiencyRun{}
	for _, shard := range shards {
		merged.Seconds += shard.Seconds
		merged.Resumed += shard.Resumed
		for _, run := range shard.Runs {
			key := runKey{run.Fraction, run.Regularizer, run.Seed}
			if _, repeated := found[key]; repeated {
				return nil, fmt.Errorf("studies: the run %s appears twice among the shards; merge the results of one sharded study only once each", key)
			}
			found[key] = run
		}
	}

	for _, key := range expectedRuns(first) {
		run, ok := found[key]
		if !ok {
			return nil, fmt.Errorf("studies: the run %s is missing from the shards; rerun its shard with the same work folder, which resumes it", key)
		}
		merged.Runs = append(merged.Runs, run)
		delete(found, key)
	}
	// Any run left over is foreign to the study; the error names one of them.
	for key := range found {
		return nil, fmt.Errorf("studies: the run %s is not part of the study's configuration (fractions %v, regularizers %v, %d seeds from %d)",
			key, first.Config.Fractions, first.Config.Regularizers, first.Config.Seeds, first.FirstSeed)
	}
	return &merged, nil
}

// checkShardSet checks that the results share one fingerprint and are the
// shards 0 to n−1 of one split, each exactly once.
func checkShardSet(shards []*DataEfficiencyResult) error {
	first := shards[0]
	if first.Fingerprint == "" {
		return errors.New("studies: the data-efficiency result has no fingerprint, as results of older versions lack one; run its shard again")
	}
	count := shardOf(first).Count
	seen := make([]bool, count)
	for _, shard := range shards {
		if shard.Fingerprint != first.Fingerprint {
			return fmt.Errorf("studies: data-efficiency results of different studies (fingerprints %s and %s: another preset, configuration or data set); merge the shards of one study",
				first.Fingerprint, shard.Fingerprint)
		}
		s := shardOf(shard)
		if s.Count != count {
			return fmt.Errorf("studies: data-efficiency shards of different splits (%s and %s); merge the shards of one split", shardOf(first), s)
		}
		if seen[s.Index] {
			return fmt.Errorf("studies: data-efficiency shard %s is given twice", s)
		}
		seen[s.Index] = true
	}
	if missing := slices.Index(seen, false); missing >= 0 {
		return fmt.Errorf("studies: data-efficiency shard %s is missing; run it and merge again", dataset.Shard{Index: missing, Count: count})
	}
	return nil
}

// shardOf returns the shard of a result, 0/1 for an unsharded one.
func shardOf(result *DataEfficiencyResult) dataset.Shard {
	if result.Shard == nil || result.Shard.Count < 1 {
		return dataset.Shard{Index: 0, Count: 1}
	}
	return *result.Shard
}

// runKey identifies one run of a data-efficiency study.
type runKey struct {
	fraction    float64
	regularizer string
	seed        int64
}

func (k runKey) String() string {
	return fmt.Sprintf("(regularizer %s, fraction %g, seed %d)", k.regularizer, k.fraction, k.seed)
}

// expectedRuns returns the runs of the study of result in nesting order:
// fractions, then regularizers, then seeds.
func expectedRuns(result *DataEfficiencyResult) []runKey {
	var keys []runKey
	for _, fraction := range result.Config.Fractions {
		for _, regularizer := range result.Config.Regularizers {
			for k := range result.Config.Seeds {
				keys = append(keys, runKey{fraction, regularizer, result.FirstSeed + int64(k)})
			}
		}
	}
	return keys
}

// RecordDataEfficiencyRuns adds the runs of result to the work folder dir of
// an unsharded study (DataEfficiencyConfig.WorkDir). A later call of
// DataEfficiency with the same preset, configuration and data set, such as
// notebook 7's, then reads them back instead of training them. Runs already
// in dir are kept. It returns an error when dir contains the runs of another
// study.
func RecordDataEfficiencyRuns(dir string, result *DataEfficiencyResult) error {
	if dir == "" {
		return errors.New("studies: recording data-efficiency runs needs a work folder")
	}
	if result.Fingerprint == "" {
		return errors.New("studies: the data-efficiency result has no fingerprint, so a study cannot recognize its runs; run it again")
	}
	ledger, err := openStudyLedger(dir, result.Fingerprint)
	if err != nil {
		return err
	}
	for _, run := range result.Runs {
		if _, done := ledger.finished(run.Fraction, run.Regularizer, run.Seed); done {
			continue
		}
		if err := ledger.record(run); err != nil {
			return err
		}
	}
	return nil
}
