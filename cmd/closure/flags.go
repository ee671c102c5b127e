package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// parseFlags parses the flags of one command. Help asked for with -h or --help goes to
// standard output, as the reply to a request. A flag error is returned with a pointer to the
// help instead of the whole flag list, so that the error stays on the last line.
func parseFlags(fs *flag.FlagSet, args []string) error {
	return parseFlagsTo(fs, args, os.Stdout)
}

// parseFlagsTo is parseFlags with the help written to out, for tests.
func parseFlagsTo(fs *flag.FlagSet, args []string, out io.Writer) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(out)
		fs.Usage()
		return err
	}
	if err != nil {
		return fmt.Errorf("%s: %w; run closure %s -h for the flags", fs.Name(), plainFlagError(fs, err), fs.Name())
	}
	return nil
}

// plainFlagError rewrites the flag package's "invalid boolean value" message for flags that
// take a value as well as standing alone (IsBoolFlag), such as --physical: their values are
// lists, not booleans, and the wrapped error of Set already names the accepted values.
func plainFlagError(fs *flag.FlagSet, err error) error {
	const prefix = "invalid boolean value "
	msg := err.Error()
	if !strings.HasPrefix(msg, prefix) {
		return err
	}
	_, rest, found := strings.Cut(msg, " for -")
	name, _, named := strings.Cut(rest, ":")
	if !found || !named {
		return err
	}
	if f := fs.Lookup(name); f != nil {
		if _, list := f.Value.(*physicalFlag); list {
			return errors.New("invalid value " + strings.TrimPrefix(msg, prefix))
		}
	}
	return err
}
