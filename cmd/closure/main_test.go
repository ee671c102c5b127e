package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDispatchRejectsBadInput(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"train-everything"}, `unknown command "train-everything"`},
		{[]string{"generate", "--preset", "huge"}, `unknown preset "huge"`},
		{[]string{"generate", "--preset", "tiny", "--shard", "8/8"}, `"8/8"`},
		{[]string{"run", "--preset", "tiny", "extra"}, "no positional arguments"},
		{[]string{"run", "--preset", "tiny", "--out", file}, "is a file"},
		{[]string{"merge", "--out", filepath.Join(t.TempDir(), "m")}, "at least one shard"},
		{[]string{"info"}, "one data-set directory"},
		{[]string{"apost", "--preset", "tiny", "--min-wavenumber", "-1"}, "--min-wavenumber=-1"},
		{[]string{"apost", "--preset", "tiny", "--members", "-2"}, "--members=-2"},
		{[]string{"apost", "--preset", "tiny", "--max-wavenumber", "3"}, "--max-wavenumber=3"},
		{[]string{"apost", "--preset", "tiny", "--min-wavenumber", "0", "--max-wavenumber", "6.5"}, "--max-wavenumber=6.5"},
		{[]string{"apost", "--preset", "tiny", "--out", file}, "is a file"},
		{[]string{"apost", "--preset", "tiny", "--physical=flow-matching,fno"}, `unknown extra closure "fno"`},
		{[]string{"apost", "--preset", "tiny", "--physical", "flow-matching"}, "--physical=flow-matching"},
		{[]string{"info", filepath.Join(t.TempDir(), "missing")}, "manifest"},
		{[]string{"compare", "--preset", "tiny", "--steps", "1,0"}, `"0" is not a positive integer`},
		{[]string{"compare", "--preset", "tiny", "--model", "gan"}, `unknown model "gan"`},
		{[]string{"compare", "--preset", "tiny", "--members", "-1"}, "--members=-1"},
		{[]string{"compare", "--preset", "tiny", "--model", "diffusion", "--models", filepath.Join(t.TempDir(), "none")}, "closure train --model diffusion --preset tiny"},
		{[]string{"compare", "--preset", "tiny", "--model", "flow-matching", "--data", "mydata", "--models", filepath.Join(t.TempDir(), "none")}, "--data mydata`"},
		{[]string{"apost", "--preset", "tiny", "--physical=fno"}, `invalid value "fno" for -physical`},
		{[]string{"apost", "--preset", "tiny", "--bogus"}, "run closure apost -h"},
		{[]string{"apost", "--preset", "tiny", "--regularizers", "mp,pca"}, `"pca" is not a regularizer`},
		{[]string{"apost", "--preset", "tiny", "--regularizers", "none"}, `"none" is not a regularizer`},
		{[]string{"train", "--preset", "tiny", "--model", "diffusion", "--regularizer", "mp"}, "--regularizer=mp"},
		{[]string{"compare", "--preset", "tiny", "--regularizers", "none"}, `"none" is not a regularizer`},
		{[]string{"train", "--preset", "tiny", "--model", "latent-fm", "--regularizer", "pca"}, `"pca"`},
	}
	for _, c := range cases {
		err := dispatch(context.Background(), c.args)
		if err == nil {
			t.Errorf("closure %s: no error", strings.Join(c.args, " "))
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("closure %s: error %q does not contain %q", strings.Join(c.args, " "), err, c.want)
		}
	}

	content, _ := os.ReadFile(file)
	if string(content) != "keep" {
		t.Errorf("a failed run changed the existing file to %q", content)
	}
}

func TestHelpGoesToTheGivenWriter(t *testing.T) {
	for _, arg := range []string{"-h", "--help"} {
		fs := flag.NewFlagSet("demo", flag.ContinueOnError)
		fs.Int("members", 4, "ensemble size")
		var out bytes.Buffer
		err := parseFlagsTo(fs, []string{arg}, &out)
		if !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%s: error %v, want flag.ErrHelp", arg, err)
		}
		if !strings.Contains(out.String(), "-members") || !strings.Contains(out.String(), "ensemble size") {
			t.Errorf("%s: help %q does not list the flag", arg, out.String())
		}
	}
}
