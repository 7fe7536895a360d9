package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/emu-dev/emu/cmd/emu/internal/inspector"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// exitError carries an exit code through urfave/cli without it calling
// os.Exit itself.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// run is the whole CLI: it returns the exit code, so tests run it in process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := &cli.App{
		Name:                 "emu",
		Usage:                "a local emulator for Cloudflare Workers and Durable Objects",
		Version:              version,
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: false,
		ExitErrHandler:       func(*cli.Context, error) {},
		Commands:             []*cli.Command{devCommand(ctx, stdout, stderr)},
	}
	if len(args) > 1 && args[1] == "dev" {
		args = append(args[:2:2], flagsFirst(args[2:], app.Commands[0].Flags)...)
	}
	if err := app.RunContext(ctx, args); err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.msg != "" {
				fmt.Fprintln(stderr, ee.msg)
			}
			return ee.code
		}
		fmt.Fprintln(stderr, "emu:", err)
		return 2
	}
	return 0
}

func devCommand(ctx context.Context, stdout, stderr io.Writer) *cli.Command {
	ignoredBool := func(name string) cli.Flag {
		return &cli.BoolFlag{Name: name, Hidden: true, Usage: "accepted for wrangler compatibility; ignored"}
	}
	ignoredString := func(name string) cli.Flag {
		return &cli.StringFlag{Name: name, Hidden: true, Usage: "accepted for wrangler compatibility; ignored"}
	}
	return &cli.Command{
		Name:      "dev",
		Usage:     "serve a Worker locally, reloading on change",
		ArgsUsage: "[ENTRY]",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "port", Value: 8787, Usage: "port to listen on (0 picks a free one)"},
			&cli.StringFlag{Name: "ip", Value: "127.0.0.1", Usage: "address to listen on"},
			&cli.StringSliceFlag{Name: "config", Aliases: []string{"c"}, Usage: "path to wrangler.toml / wrangler.json(c); repeat to run more Workers (the first serves HTTP, the others are reachable by service binding)"},
			&cli.StringFlag{Name: "persist-to", Usage: "directory for Durable Object storage (default: .emu/state beside the config, or the entry)"},
			&cli.StringSliceFlag{Name: "var", Usage: "a var for env, KEY:VALUE (repeatable)"},
			&cli.StringFlag{Name: "env", Aliases: []string{"e"}, EnvVars: []string{"CLOUDFLARE_ENV"}, Usage: "use the [env.NAME] section of the wrangler file (and .dev.vars.NAME)"},
			&cli.StringSliceFlag{Name: "define", Usage: "replace a global identifier in the code, KEY:VALUE (repeatable; adds to define)"},
			&cli.StringSliceFlag{Name: "alias", Usage: "replace an imported module, MODULE:REPLACEMENT (repeatable; adds to alias)"},
			&cli.StringFlag{Name: "compatibility-date", Usage: "compatibility date (YYYY-MM-DD)"},
			&cli.StringSliceFlag{Name: "compatibility-flags", Aliases: []string{"compatibility-flag"}, Usage: "compatibility flags"},
			&cli.StringFlag{Name: "log-level", Value: "info", Usage: "debug, info, log, warn, error or none"},
			&cli.StringFlag{Name: "hibernate-after", Value: "10s", Usage: "idle time before a Durable Object is evicted (Go duration)"},
			&cli.BoolFlag{Name: "no-reload", Usage: "do not watch files for changes"},
			&cli.BoolFlag{Name: "live-reload", Value: true, Usage: "watch files and reload (--live-reload=false turns it off)"},
			&cli.BoolFlag{Name: "inspector", Usage: "serve the inspector at /cdn-cgi/emu/ (on by default when --ip is a loopback address; with another --ip, --inspector serves it to every client that reaches emu; --inspector=false turns it off)"},
			ignoredBool("local"), ignoredBool("remote"), ignoredString("inspector-port"),
			ignoredBool("show-interactive-dev-session"), ignoredBool("no-show-interactive-dev-session"),
			ignoredString("local-protocol"), ignoredBool("experimental-local"),
			ignoredBool("x-dev-env"), ignoredBool("no-bundle"), ignoredString("upstream-protocol"),
			ignoredString("host"), ignoredString("local-upstream"), ignoredBool("test-scheduled"),
		},
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return &exitError{2, fmt.Sprintf("emu dev: %v (see emu dev --help)", err)}
		},
		Action: func(c *cli.Context) error {
			hib, err := time.ParseDuration(c.String("hibernate-after"))
			if err != nil || hib <= 0 {
				return &exitError{2, fmt.Sprintf("emu dev: --hibernate-after %q: want a Go duration like 10s or 200ms", c.String("hibernate-after"))}
			}
			if c.NArg() > 1 {
				return &exitError{2, "emu dev: expected at most one ENTRY argument"}
			}
			wd, _ := os.Getwd()
			opts := devOptions{
				Entry:              c.Args().First(),
				Config:             first(c.StringSlice("config")),
				Peers:              rest(c.StringSlice("config")),
				Port:               c.Int("port"),
				IP:                 c.String("ip"),
				PersistTo:          c.String("persist-to"),
				PortSet:            c.IsSet("port"),
				IPSet:              c.IsSet("ip"),
				Env:                c.String("env"),
				Defines:            c.StringSlice("define"),
				Aliases:            c.StringSlice("alias"),
				Vars:               c.StringSlice("var"),
				CompatibilityDate:  c.String("compatibility-date"),
				CompatibilityFlags: c.StringSlice("compatibility-flags"),
				LogLevel:           c.String("log-level"),
				HibernateAfter:     hib,
				Watch:              !c.Bool("no-reload") && c.Bool("live-reload"),
				WorkDir:            wd,
			}
			opts.Inspector = inspector.Loopback(opts.IP)
			if c.IsSet("inspector") {
				opts.Inspector = c.Bool("inspector")
			}
			return dev(ctx, opts, stdout, stderr)
		},
	}
}

// flagsFirst moves positional arguments after the flags, so that
// `emu dev index.js --port 9000` works as it does with wrangler (urfave/cli
// stops parsing flags at the first positional argument).
func flagsFirst(args []string, flags []cli.Flag) []string {
	isBool := map[string]bool{}
	for _, f := range flags {
		_, b := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			isBool[n] = b
		}
	}
	var fl, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		fl = append(fl, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if b, known := isBool[name]; known && !b && i+1 < len(args) {
			i++
			fl = append(fl, args[i])
		}
	}
	return append(fl, pos...)
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func rest(s []string) []string {
	if len(s) < 2 {
		return nil
	}
	return s[1:]
}
