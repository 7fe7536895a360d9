package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// bench is one run of the command: its options, the binaries it starts, and
// every process it started (stopped by PID before run returns).
type bench struct {
	opts     options
	emuBin   string // emu under test
	self     string // this binary, started with EMUBENCH_BARE for the bare side
	root     string // the module root (testdata/ lives there)
	tmp      string // scratch directory, removed at the end
	procs    *procSet
	logMu    sync.Mutex // progress lines come from dialing goroutines too
	progress io.Writer
	nofile   uint64 // RLIMIT_NOFILE the servers inherit
	// nofileErr says why RLIMIT_NOFILE could not be raised as far as asked.
	nofileErr error
}

// fdReserve is how many descriptors the client side keeps for itself
// (logs, pipes, control requests) when the limit caps the socket count.
const fdReserve = 512

// socketCap is how many sockets one process may hold here: the client side
// (this process) and the server (which inherited the same limit) hold one
// descriptor per socket each. It returns want when the limit allows it, else
// the cap and a note saying why.
func (b *bench) socketCap(row string, want int) (int, string) {
	limit := int(b.nofile) - fdReserve
	if want <= limit {
		return want, ""
	}
	why := "it could not be raised"
	if b.nofileErr != nil {
		why = "raising it failed: " + b.nofileErr.Error()
	}
	return max(limit, 1), fmt.Sprintf("%s: asked for %s sockets, but RLIMIT_NOFILE is %s for emubench and for the server it starts (%s), "+
		"so %s were opened (%d descriptors kept for the client's own use)",
		row, thousands(int64(want)), thousands(int64(b.nofile)), why, thousands(int64(max(limit, 1))), fdReserve)
}

// logf prints progress on stderr (unless -q).
func (b *bench) logf(format string, a ...any) {
	if b.opts.verboseLog {
		b.logMu.Lock()
		defer b.logMu.Unlock()
		fmt.Fprintf(b.progress, "emubench: "+format+"\n", a...)
	}
}

// run builds emu, measures the selected rows and prints the table on out.
func run(ctx context.Context, o options, out, progress io.Writer) (err error) {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this binary for the bare server: %w", err)
	}
	tmp, err := os.MkdirTemp("", "emubench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	b := &bench{opts: o, self: self, root: root, tmp: tmp, procs: newProcSet(), progress: progress}
	defer b.procs.stopAll()

	// Both the client side (this process) and the servers (which inherit
	// the limit) hold one descriptor per socket.
	b.nofile, b.nofileErr = raiseNofile(uint64(o.maxSockets()) + 16384)
	if b.nofileErr != nil {
		b.logf("raising RLIMIT_NOFILE: %v (the idle and many rows hold fewer sockets)", b.nofileErr)
	}
	b.emuBin = o.emu
	if b.emuBin == "" {
		if b.emuBin, err = buildEmu(ctx, root, tmp); err != nil {
			return err
		}
	}
	facts := machineFacts(b)
	var results []*rowResult
	for _, name := range o.rows {
		r := rowByName(name, o)
		res := b.runRow(ctx, r)
		results = append(results, res)
		if ctx.Err() != nil {
			break
		}
	}
	printReport(out, facts, o, results)
	if ctx.Err() != nil {
		return fmt.Errorf("stopped: %w", context.Cause(ctx))
	}
	var failed []string
	for _, r := range results {
		if len(r.errs) > 0 {
			failed = append(failed, r.row.name)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("rows with errors: %v (see the notes under the table)", failed)
	}
	return nil
}

// runRow measures one row for o.rounds rounds, alternating emu and bare.
func (b *bench) runRow(ctx context.Context, r *row) *rowResult {
	res := &rowResult{row: r}
	for round := 1; round <= b.opts.rounds; round++ {
		for _, s := range r.sides() {
			if ctx.Err() != nil {
				res.errs = append(res.errs, fmt.Sprintf("%s round %d: %v", s, round, context.Cause(ctx)))
				return res
			}
			b.logf("%s: round %d/%d, %s", r.name, round, b.opts.rounds, s)
			start := time.Now()
			smp, notes, err := r.measure(ctx, b, s)
			res.notes = append(res.notes, notes...)
			if err != nil {
				b.logf("%s: %s: %v", r.name, s, err)
				res.errs = append(res.errs, fmt.Sprintf("%s round %d: %v", s, round, err))
			}
			if smp != nil {
				res.add(s, smp)
				b.logf("%s: %s: %s (%.1fs)", r.name, s, r.describe(smp), time.Since(start).Seconds())
			}
		}
	}
	return res
}

// moduleRoot finds the directory holding go.mod and testdata/ from the
// working directory up (go run ./cmd/emubench runs at the root, go test in
// cmd/emubench).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if fileExists(filepath.Join(dir, "go.mod")) && fileExists(filepath.Join(dir, "testdata", "bench-hello")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run emubench inside the emu module (no go.mod with testdata/bench-hello above the working directory)")
		}
		dir = parent
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// buildEmu builds ./cmd/emu into dir.
func buildEmu(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "emu")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/emu")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/emu: %w\n%s", err, out)
	}
	return bin, nil
}

// testdataCopy copies testdata/<name> into a fresh directory under the
// scratch directory, so rows can edit files and keep storage to themselves.
func (b *bench) testdataCopy(name string) (string, error) {
	dst, err := os.MkdirTemp(b.tmp, name+"-")
	if err != nil {
		return "", err
	}
	src := filepath.Join(b.root, "testdata", name)
	err = filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		return "", fmt.Errorf("copying testdata/%s: %w", name, err)
	}
	return dst, nil
}
