package dataset

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"
)

// npyEntrySuffix ends every entry name in an archive, as numpy.savez writes
// them; numpy.load strips it, so the array names stay "omega_bar" and so on.
const npyEntrySuffix = ".npy"

// fixInconsistentFile is the repair advice for a file whose checksum
// matches the manifest but whose content does not. Resuming keeps such a
// file, so only generating the data set again repairs it.
const fixInconsistentFile = "delete the data set directory and generate it again"

// namedArray is one array to store, a flat []float32 or []float64 in C
// order, with its full shape.
type namedArray struct {
	name  string
	data  any
	shape []int
}

// writeNPZ writes the arrays as an uncompressed (stored) zip archive of
// NumPy .npy entries, the layout of numpy.savez. Every entry has the same
// modification time, so equal arrays give byte-identical files.
func writeNPZ(w io.Writer, arrays []namedArray) error {
	archive := zip.NewWriter(w)

	for _, a := range arrays {
		entry, err := archive.CreateHeader(&zip.FileHeader{
			Name:     a.name + npyEntrySuffix,
			Method:   zip.Store,
			Modified: dosEpoch,
		})
		if err != nil {
			return fmt.Errorf("create npz entry %q: %w", a.name, err)
		}
		if err := writeNPY(entry, a); err != nil {
			return fmt.Errorf("write array %q: %w", a.name, err)
		}
	}

	if err := archive.Close(); err != nil {
		return fmt.Errorf("finish npz archive: %w", err)
	}
	return nil
}

// dosEpoch, 1980-01-01, is the earliest time that a zip header can store.
var dosEpoch = time.Date(1980, time.January, 1, 0, 0, 0, 0, time.UTC)

// npyAlignment is the multiple of bytes to which numpy.save pads the
// preamble and header, so that the data starts aligned.
const npyAlignment = 64

// writeNPY writes one array in NPY format version 1.0: the magic string,
// the version, the little-endian header length, the header dictionary padded
// with spaces and ended by a newline, then the little-endian data in C
// order.
//
// NOTE: npy.Write of npyio v0.14.0 takes the shape from nested slices and
// visits every element by reflection, about 300 ns per element, so this
// package writes the header itself. npyio reads the files back, in
// readNPYEntry and in the tests.
//
// Reference: NumPy Enhancement Proposal 1, "A Simple File Format for NumPy
// Arrays" (R. Kern).
func writeNPY(w io.Writer, a namedArray) error {
	var dtype DType
	switch a.data.(type) {
	case []float32:
		dtype = Float32
	case []float64:
		dtype = Float64
	default:
		return fmt.Errorf("unsupported element type %T", a.data)
	}

	const preambleLength = 10 // magic (6), version (2), header length (2)
	header := fmt.Sprintf("{'descr': %s, 'fortran_order': False, 'shape': %s, }", dtype.numpyDescr(), shapeTuple(a.shape))
	padding := npyAlignment - (preambleLength+len(header)+1)%npyAlignment
	if padding == npyAlignment {
		padding = 0
	}
	header += strings.Repeat(" ", padding) + "\n"

	preamble := make([]byte, preambleLength, preambleLength+len(header))
	copy(preamble, npy.Magic[:])
	preamble[6], preamble[7] = 1, 0
	binary.LittleEndian.PutUint16(preamble[8:], uint16(len(header)))
	if _, err := w.Write(append(preamble, header...)); err != nil {
		return err
	}

	return writeLittleEndian(w, a.data)
}

// shapeTuple formats a shape as a Python tuple: "(3,)" or "(3, 4, 4)".
func shapeTuple(shape []int) string {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	if len(dims) == 1 {
		return "(" + dims[0] + ",)"
	}
	return "(" + strings.Join(dims, ", ") + ")"
}

// writeLittleEndian writes a []float32 or []float64 through a fixed buffer.
func writeLittleEndian(w io.Writer, data any) error {
	const bufferSize = 1 << 16
	buffer := make([]byte, 0, bufferSize)
	flush := func() error {
		_, err := w.Write(buffer)
		buffer = buffer[:0]
		return err
	}

	switch values := data.(type) {
	case []float32:
		for _, v := range values {
			if len(buffer)+4 > bufferSize {
				if err := flush(); err != nil {
					return err
				}
			}
			buffer = binary.LittleEndian.AppendUint32(buffer, math.Float32bits(v))
		}
	case []float64:
		for _, v := range values {
			if len(buffer)+8 > bufferSize {
				if err := flush(); err != nil {
					return err
				}
			}
			buffer = binary.LittleEndian.AppendUint64(buffer, math.Float64bits(v))
		}
	}
	return flush()
}

func product(shape []int) int {
	p := 1
	for _, d := range shape {
		p *= d
	}
	return p
}

// readNPZ decodes the named arrays from the bytes of an npz file and checks
// each array's dtype and shape against specs and shapes. path only labels
// errors. It returns flat []float32 or []float64 slices keyed by name.
func readNPZ(path string, data []byte, specs []ArraySpec, shapes map[string][]int) (map[string]any, error) {
	archive, err := npz.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fileErrorf(path, ErrCorrupt, "not a zip archive (%v); %s", err, fixInconsistentFile)
	}

	if len(archive.Keys()) != len(specs) {
		return nil, fileErrorf(path, ErrShape, "the file contains the arrays %v, but %s declares %d arrays; %s",
			archive.Keys(), ManifestName, len(specs), fixInconsistentFile)
	}

	arrays := make(map[string]any, len(specs))
	for _, spec := range specs {
		array, err := readNPYEntry(path, archive, spec, shapes[spec.Name])
		if err != nil {
			return nil, err
		}
		arrays[spec.Name] = array
	}
	return arrays, nil
}

// readNPYEntry reads one entry whole, so that the zip CRC-32 is checked at
// its end and a data section of the wrong length is reported with the
// expected byte count before npyio decodes it.
func readNPYEntry(path string, archive *npz.Reader, spec ArraySpec, shape []int) (any, error) {
	key := spec.Name + npyEntrySuffix
	if !slices.Contains(archive.Keys(), key) {
		return nil, fileErrorf(path, ErrShape, "array %q is missing (the file contains %v); %s", spec.Name, archive.Keys(), fixInconsistentFile)
	}

	entry, err := archive.Open(key)
	if err != nil {
		return nil, fileErrorf(path, ErrCorrupt, "open array %q: %v; %s", spec.Name, err, fixInconsistentFile)
	}
	raw, err := io.ReadAll(entry)
	_ = entry.Close()
	if err != nil {
		return nil, fileErrorf(path, ErrCorrupt, "read array %q: %v; %s", spec.Name, err, fixInconsistentFile)
	}

	body := bytes.NewReader(raw)
	decoder, err := npy.NewReader(body)
	if err != nil {
		return nil, fileErrorf(path, ErrCorrupt, "array %q has no valid NumPy header: %v; %s", spec.Name, err, fixInconsistentFile)
	}

	header := decoder.Header.Descr
	if header.Type != spec.DType.numpyDescr() || header.Fortran {
		return nil, fileErrorf(path, ErrShape, "array %q has dtype %s (fortran_order=%v), expected %s in C order; %s",
			spec.Name, header.Type, header.Fortran, spec.DType.numpyDescr(), fixInconsistentFile)
	}
	if !slices.Equal(header.Shape, shape) {
		return nil, fileErrorf(path, ErrShape, "array %q has shape %v, expected %v; %s", spec.Name, header.Shape, shape, fixInconsistentFile)
	}
	if want := product(shape) * itemSize(spec.DType); body.Len() != want {
		return nil, fileErrorf(path, ErrCorrupt, "array %q has %d data bytes, expected %d for shape %v; %s",
			spec.Name, body.Len(), want, shape, fixInconsistentFile)
	}

	return decodeArray(path, decoder, spec)
}

func decodeArray(path string, decoder *npy.Reader, spec ArraySpec) (any, error) {
	var err error
	var array any
	switch spec.DType {
	case Float32:
		var values []float32
		err = decoder.Read(&values)
		array = values
	case Float64:
		var values []float64
		err = decoder.Read(&values)
		array = values
	default:
		err = fmt.Errorf("unsupported dtype %q", spec.DType)
	}
	if err != nil {
		return nil, fileErrorf(path, ErrCorrupt, "decode array %q: %v; %s", spec.Name, err, fixInconsistentFile)
	}
	return array, nil
}

func itemSize(d DType) int {
	if d == Float64 {
		return 8
	}
	return 4
}
