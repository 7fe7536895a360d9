package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"

	"github.com/emu-dev/emu/cmd/emu/internal/config"
)

// customBuildError is a [build] command that failed; the reloader prints it like a
// build error and the last good version keeps serving.
type customBuildError struct {
	command string
	err     error
}

func (e *customBuildError) Error() string {
	var ee *exec.ExitError
	if errors.As(e.err, &ee) && ee.ExitCode() >= 0 {
		return fmt.Sprintf("Custom build failed: `%s` exited with status %d", e.command, ee.ExitCode())
	}
	return fmt.Sprintf("Custom build failed: `%s`: %v", e.command, e.err)
}

func (e *customBuildError) Unwrap() error { return e.err }

// runCustomBuild runs [build] command with sh -c in its cwd, as wrangler does, printing
// each line of its output (stdout and stderr) as it comes: `[custom build] line`.
func runCustomBuild(b config.Build, log func(level, line string)) error {
	log("info", "[custom build] Running: "+b.Command)
	cmd := exec.Command("sh", "-c", b.Command)
	cmd.Dir = b.Cwd
	cmd.Env = os.Environ()
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			log("info", "[custom build] "+sc.Text())
		}
		_, _ = io.Copy(io.Discard, pr) // a line longer than the buffer: drain the rest
	}()
	err := cmd.Run()
	pw.Close()
	wg.Wait()
	if err != nil {
		return &customBuildError{command: b.Command, err: err}
	}
	return nil
}
