package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// emuBin is the binary built once by TestMain; the end-to-end tests drive it
// over loopback like a user would.
var emuBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "emu-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	emuBin = filepath.Join(dir, "emu")
	args := []string{"build", "-o", emuBin}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, ".")...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building emu:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	// The tests' own clients (HTTP, WebSocket, emu's output readers) must
	// all be gone; goroutines inside emu are checked by TestNoGoroutineLeak.
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goroutines left behind by the tests:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// emuProc is one running `emu dev`.
type emuProc struct {
	t    testing.TB
	cmd  *exec.Cmd
	URL  string // http://127.0.0.1:PORT
	mu   sync.Mutex
	out  []string
	cond chan struct{} // closed and replaced on every new line
	exit chan struct{}
	code int
}

// testdataCopy copies testdata/<name> into a temporary directory, so a test
// may edit files and keep its storage to itself.
func testdataCopy(t testing.TB, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	src := filepath.Join("..", "..", "testdata", name)
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// startEmu runs `emu dev --port 0 args...` in dir and waits for the ready line.
func startEmu(t testing.TB, dir string, args ...string) *emuProc {
	t.Helper()
	return startEmuEnv(t, dir, nil, args...)
}

// startEmuEnv is startEmu with extra environment variables ("KEY=value").
func startEmuEnv(t testing.TB, dir string, env []string, args ...string) *emuProc {
	t.Helper()
	p := launchEnv(t, dir, env, args...)
	line := p.waitFor("Ready on ", 20*time.Second)
	p.URL = strings.TrimSpace(line[strings.Index(line, "Ready on ")+len("Ready on "):])
	return p
}

// launchEnv starts emu, with extra environment variables ("KEY=value"),
// without waiting for readiness.
func launchEnv(t testing.TB, dir string, env []string, args ...string) *emuProc {
	t.Helper()
	full := append([]string{"dev", "--port", "0"}, args...)
	cmd := exec.Command(emuBin, full...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	p := &emuProc{t: t, cmd: cmd, cond: make(chan struct{}), exit: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			p.mu.Lock()
			p.out = append(p.out, sc.Text())
			close(p.cond)
			p.cond = make(chan struct{})
			p.mu.Unlock()
		}
		_ = cmd.Wait()
		p.mu.Lock()
		p.code = cmd.ProcessState.ExitCode()
		p.mu.Unlock()
		close(p.exit)
	}()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("emu output:\n%s", p.output())
		}
	})
	return p
}

// stop interrupts emu (by PID) and waits for it.
func (p *emuProc) stop() int {
	select {
	case <-p.exit:
	default:
		_ = p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.exit:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.exit
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.code
}

func (p *emuProc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.out, "\n")
}

// waitFor returns the first output line (from the start) containing s.
func (p *emuProc) waitFor(s string, d time.Duration) string {
	return p.waitForAfter(0, s, d)
}

// lines is how many lines were printed so far.
func (p *emuProc) lines() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.out)
}

// waitForAfter returns the first line at index >= from containing s.
func (p *emuProc) waitForAfter(from int, s string, d time.Duration) string {
	p.t.Helper()
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		for i := from; i < len(p.out); i++ {
			if strings.Contains(p.out[i], s) {
				line := p.out[i]
				p.mu.Unlock()
				return line
			}
		}
		ch := p.cond
		p.mu.Unlock()
		select {
		case <-ch:
		case <-p.exit:
			p.mu.Lock()
			n := len(p.out)
			p.mu.Unlock()
			if n == from || !p.hasAfter(from, s) {
				p.t.Fatalf("emu exited before printing %q", s)
			}
		case <-deadline.C:
			p.t.Fatalf("timed out after %s waiting for %q", d, s)
		}
	}
}

func (p *emuProc) hasAfter(from int, s string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := from; i < len(p.out); i++ {
		if strings.Contains(p.out[i], s) {
			return true
		}
	}
	return false
}

// get does an HTTP request and returns status and body.
func (p *emuProc) get(path string, hdr ...string) (int, string, http.Header) {
	p.t.Helper()
	return p.do("GET", path, nil, hdr...)
}

func (p *emuProc) do(method, path string, body io.Reader, hdr ...string) (int, string, http.Header) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, p.URL+path, body)
	if err != nil {
		p.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp.StatusCode, string(b), resp.Header
}

// tryGet GETs url and reports false if the server is gone.
func tryGet(url string) (string, bool) {
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Get(url)
	if err != nil {
		return "", false
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		return "", false
	}
	return string(b), true
}
