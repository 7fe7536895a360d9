package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// readyPrefix is the line emu (and the bare server) prints once it listens.
const readyPrefix = "Ready on http://"

// How long a server may take to print its ready line, and to stop after
// SIGINT before it is killed.
const (
	readyTimeout = 60 * time.Second
	stopTimeout  = 30 * time.Second
)

// proc is one server process this command started: emu or a bare server.
// Its output goes to a log file in the scratch directory.
type proc struct {
	name    string
	cmd     *exec.Cmd
	pid     int
	addr    string // host:port from the ready line
	logPath string
	ready   chan string   // the address, once
	exited  chan struct{} // closed after Wait
	set     *procSet
}

// procSet holds every live process, so the command stops them all by PID
// whatever way it ends.
type procSet struct {
	mu   sync.Mutex
	live map[*proc]bool
}

func newProcSet() *procSet { return &procSet{live: map[*proc]bool{}} }

func (s *procSet) stopAll() {
	s.mu.Lock()
	var ps []*proc
	for p := range s.live {
		ps = append(ps, p)
	}
	s.mu.Unlock()
	for _, p := range ps {
		p.stop()
	}
}

// spawn starts bin with args in dir. The process gets SIGKILL if this
// command's thread dies first (Pdeathsig), a last resort behind stop.
func (b *bench) spawn(name, bin, dir string, args, env []string) (*proc, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	logFile, err := os.CreateTemp(b.tmp, name+"-*.log")
	if err != nil {
		return nil, err
	}
	p := &proc{name: name, cmd: cmd, logPath: logFile.Name(), ready: make(chan string, 1),
		exited: make(chan struct{}), set: b.procs}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	p.pid = cmd.Process.Pid
	b.procs.mu.Lock()
	b.procs.live[p] = true
	b.procs.mu.Unlock()
	go p.drain(stdout, logFile)
	return p, nil
}

// drain copies the output to the log file, reports the ready line, and
// reaps the process once its output ends.
func (p *proc) drain(stdout io.Reader, logFile *os.File) {
	br := bufio.NewReaderSize(stdout, 64<<10)
	for {
		line, err := br.ReadString('\n')
		_, _ = logFile.WriteString(line)
		if i := strings.Index(line, readyPrefix); i >= 0 {
			p.ready <- strings.TrimSpace(line[i+len(readyPrefix):])
			break
		}
		if err != nil {
			break
		}
	}
	_, _ = io.Copy(logFile, br)
	_ = logFile.Close()
	_ = p.cmd.Wait()
	close(p.exited)
}

// start spawns a server and waits for its ready line.
func (b *bench) start(ctx context.Context, name, bin, dir string, args, env []string) (*proc, error) {
	p, err := b.spawn(name, bin, dir, args, env)
	if err != nil {
		return nil, err
	}
	timer := time.NewTimer(readyTimeout)
	defer timer.Stop()
	select {
	case p.addr = <-p.ready:
		return p, nil
	case <-p.exited:
		err = fmt.Errorf("%s exited before it was ready: %s", name, p.logTail(15))
	case <-timer.C:
		err = fmt.Errorf("%s not ready within %s: %s", name, readyTimeout, p.logTail(15))
	case <-ctx.Done():
		err = context.Cause(ctx)
	}
	p.stop()
	return nil, err
}

// startEmu runs `emu dev --port 0 <args>` on a project directory, storage in
// the project's own .emu/state, and waits for its ready line. Log levels
// above info do not print that line: then emu gets a free port and is
// ready when its dev control answers.
func (b *bench) startEmu(ctx context.Context, dir string, args ...string) (*proc, error) {
	if b.opts.logLevel == "info" || b.opts.logLevel == "debug" {
		full := append([]string{"dev", "--port", "0", "--log-level", b.opts.logLevel}, args...)
		return b.start(ctx, "emu", b.emuBin, dir, full, nil)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	full := append([]string{"dev", "--port", strconv.Itoa(port), "--log-level", b.opts.logLevel}, args...)
	p, err := b.spawn("emu", b.emuBin, dir, full, nil)
	if err != nil {
		return nil, err
	}
	p.addr = "127.0.0.1:" + strconv.Itoa(port)
	ok := func(status int, _ []byte) error {
		if status != 200 {
			return fmt.Errorf("status %d", status)
		}
		return nil
	}
	if _, err := pollUntil(ctx, p.addr, "/cdn-cgi/emu/api/runtime", ok, readyTimeout); err != nil {
		p.stop()
		return nil, fmt.Errorf("emu not ready: %w%s", err, p.logTail(15))
	}
	return p, nil
}

// startBare runs this binary as a bare Go server of the given kind.
func (b *bench) startBare(ctx context.Context, kind string) (*proc, error) {
	dir, err := os.MkdirTemp(b.tmp, "bare-"+kind+"-")
	if err != nil {
		return nil, err
	}
	return b.start(ctx, "bare-"+kind, b.self, dir, nil, []string{bareEnv + "=" + kind})
}

// startSide starts emu on testdata/<project> or the bare server of kind.
func (b *bench) startSide(ctx context.Context, s side, project, kind string, emuArgs ...string) (*proc, error) {
	if s == sideBare {
		return b.startBare(ctx, kind)
	}
	dir, err := b.testdataCopy(project)
	if err != nil {
		return nil, err
	}
	return b.startEmu(ctx, dir, emuArgs...)
}

// stop sends SIGINT to the process (by PID), waits for it to exit, and
// kills it if it does not within stopTimeout.
func (p *proc) stop() {
	select {
	case <-p.exited:
	default:
		_ = p.cmd.Process.Signal(os.Interrupt)
		t := time.NewTimer(stopTimeout)
		select {
		case <-p.exited:
		case <-t.C:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
		t.Stop()
	}
	p.set.mu.Lock()
	delete(p.set.live, p)
	p.set.mu.Unlock()
}

// rss is the process's resident set size (VmRSS) in bytes.
func (p *proc) rss() (int64, error) {
	return rssOf(p.pid)
}

func rssOf(pid int) (int64, error) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) == 2 && f[1] == "kB" {
				kib, err := strconv.ParseInt(f[0], 10, 64)
				return kib << 10, err
			}
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// logTail is the last n lines of the process's output, for error messages.
func (p *proc) logTail(n int) string {
	data, err := os.ReadFile(p.logPath)
	if err != nil {
		return "(no output: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "\n\t" + strings.Join(lines, "\n\t")
}

// raiseNofile sets this process's RLIMIT_NOFILE (soft and hard) to at least
// want, capped at fs.nr_open; root may raise the hard limit. Children
// inherit it (Go restores its startup soft limit in children only until the
// program sets the limit itself).
func raiseNofile(want uint64) (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, err
	}
	if data, err := os.ReadFile("/proc/sys/fs/nr_open"); err == nil {
		if n, err := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64); err == nil {
			want = min(want, n)
		}
	}
	next := lim
	next.Cur = max(lim.Cur, want)
	if next.Cur > lim.Max {
		next.Max = next.Cur
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &next); err != nil {
		// Not allowed to raise the hard limit: take what the hard limit gives.
		next.Cur, next.Max = lim.Max, lim.Max
		if err2 := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &next); err2 != nil {
			return lim.Cur, errors.Join(err, err2)
		}
		return next.Cur, fmt.Errorf("hard limit stays %d: %w", lim.Max, err)
	}
	return next.Cur, nil
}

// freePort finds a free loopback port for a process that must be given one
// (the launch row polls it before the process could say which it took).
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
