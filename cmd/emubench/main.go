// Command emubench measures emu's hot paths against a bare Go server doing
// the same job, in the same run, and prints one Markdown table.
//
//	go run ./cmd/emubench                      # every row, 3 rounds
//	go run ./cmd/emubench -rows echo,http -rounds 5
//	go run ./cmd/emubench -rows idle -sockets 100000
//
// It builds emu (go build -o <tmp>/emu ./cmd/emu), then for each row runs
// rounds that alternate a fresh `emu dev` process and a fresh bare Go server
// (emu, bare, emu, bare, ...). The bare server is a child process too: this
// same binary started with EMUBENCH_BARE=<kind> (net/http, coder/websocket,
// modernc.org/sqlite), so both sides are separate processes whose RSS is read
// the same way, from /proc/<pid>/status. Each row reports the median over
// rounds with min and max, and emu ÷ bare.
//
// Only loopback addresses are used. Every loop is bounded in count and time;
// every process the command starts is stopped by its PID before it returns.
// Linux only (/proc, RLIMIT_NOFILE, IP_BIND_ADDRESS_NO_PORT).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// options are the command's flags.
type options struct {
	rows     []string
	rounds   int
	timeout  time.Duration
	emu      string // a prebuilt emu binary ("" builds one)
	logLevel string // emu's --log-level

	clients    int           // echo: WebSocket clients
	messages   int           // echo: messages per client, pipelined
	seq        int           // p50 rows: sequential round trips
	conns      int           // http, do: keep-alive connections
	duration   time.Duration // http, do: load duration per round
	warmup     time.Duration // http, do: load before each measurement
	sockets    int           // idle: sockets on one object
	objects    int           // many: objects with one socket each
	wakes      int           // many: hibernated objects woken per round
	launches   int           // launch: launches and saves per round
	perSource  int           // sockets per source address (127.0.0.2, .3, ...)
	dialConc   int           // concurrent WebSocket handshakes
	verboseLog bool          // progress on stderr
}

func defaultOptions() options {
	return options{
		rows: allRowNames(), rounds: 3, timeout: 60 * time.Minute, logLevel: "info",
		clients: 50, messages: 1000, seq: 2000, conns: 50, duration: 5 * time.Second, warmup: time.Second,
		sockets: 100000, objects: 10000, wakes: 200, launches: 10, perSource: 20000, dialConc: 64,
		verboseLog: true,
	}
}

// parseFlags reads args into options.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	o := defaultOptions()
	fs := flag.NewFlagSet("emubench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rows := fs.String("rows", strings.Join(o.rows, ","), "rows to run, comma-separated (or \"all\")")
	fs.IntVar(&o.rounds, "rounds", o.rounds, "rounds per row, each running emu then the bare server")
	fs.DurationVar(&o.timeout, "timeout", o.timeout, "time limit of the whole run")
	fs.StringVar(&o.emu, "emu", "", "use this emu binary instead of building ./cmd/emu")
	fs.StringVar(&o.logLevel, "emu-log-level", o.logLevel, "emu's --log-level (info logs a line per request, as a user sees it)")
	fs.IntVar(&o.clients, "clients", o.clients, "echo: WebSocket clients")
	fs.IntVar(&o.messages, "messages", o.messages, "echo: messages per client, pipelined")
	fs.IntVar(&o.seq, "seq", o.seq, "p50 rows: sequential round trips on one connection")
	fs.IntVar(&o.conns, "conns", o.conns, "http, do: concurrent keep-alive connections")
	fs.DurationVar(&o.duration, "duration", o.duration, "http, do: load duration per round")
	fs.DurationVar(&o.warmup, "warmup", o.warmup, "http, do: load before each measurement (not counted)")
	fs.IntVar(&o.sockets, "sockets", o.sockets, "idle: WebSockets held open on one object")
	fs.IntVar(&o.objects, "objects", o.objects, "many: objects with one hibernated WebSocket each")
	fs.IntVar(&o.wakes, "wakes", o.wakes, "many: hibernated objects woken (one message each) per round")
	fs.IntVar(&o.launches, "launches", o.launches, "launch: launches and saves per round")
	fs.IntVar(&o.perSource, "per-source", o.perSource, "sockets per source address (127.0.0.2, 127.0.0.3, ...)")
	fs.IntVar(&o.dialConc, "dial-concurrency", o.dialConc, "concurrent WebSocket handshakes")
	quiet := fs.Bool("q", false, "no progress on stderr")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	o.verboseLog = !*quiet
	names, err := selectRows(*rows)
	if err != nil {
		return o, err
	}
	o.rows = names
	switch {
	case o.rounds < 1 || o.rounds > 100:
		return o, fmt.Errorf("-rounds must be 1..100")
	case o.clients < 1 || o.messages < 1 || o.seq < 1 || o.conns < 1 || o.launches < 1 || o.wakes < 1:
		return o, fmt.Errorf("-clients, -messages, -seq, -conns, -launches and -wakes must be at least 1")
	case o.sockets < 1 || o.objects < 1 || o.perSource < 1 || o.dialConc < 1:
		return o, fmt.Errorf("-sockets, -objects, -per-source and -dial-concurrency must be at least 1")
	case o.duration <= 0 || o.warmup < 0 || o.timeout <= 0:
		return o, fmt.Errorf("-duration and -timeout must be positive")
	}
	if want := o.maxSockets(); (want+o.perSource-1)/o.perSource > maxSources {
		return o, fmt.Errorf("%d sockets at %d per source address need %d addresses; at most %d (127.0.0.2-127.0.0.254)",
			want, o.perSource, (want+o.perSource-1)/o.perSource, maxSources)
	}
	return o, nil
}

// maxSockets is the most connections one selected row opens at a time.
func (o options) maxSockets() int {
	n := max(o.clients, o.conns)
	for _, r := range o.rows {
		switch r {
		case "idle":
			n = max(n, o.sockets)
		case "many":
			n = max(n, o.objects)
		}
	}
	return n
}

func main() {
	if kind := os.Getenv(bareEnv); kind != "" {
		os.Exit(serveBare(kind, os.Stdout))
	}
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "emubench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "emubench:", err)
		stop()
		os.Exit(1)
	}
}
