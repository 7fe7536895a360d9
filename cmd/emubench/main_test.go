package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// The bench starts its own binary as the bare server; under go test
	// that binary is this test binary.
	if kind := os.Getenv(bareEnv); kind != "" {
		os.Exit(serveBare(kind, os.Stdout))
	}
	goleak.VerifyTestMain(m)
}

// TestSmoke runs the real command (emu built from ./cmd/emu, a bare child)
// for one round of three cheap rows at tiny sizes, the idle row spread over
// three source addresses, and checks every cell has a number.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds emu and starts servers")
	}
	o, err := parseFlags([]string{"-rows", "echo,http-p50,idle", "-rounds", "1", "-clients", "3", "-messages", "20",
		"-seq", "30", "-sockets", "50", "-per-source", "20", "-timeout", "3m", "-q"}, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	var out, progress bytes.Buffer
	if err := run(ctx, o, &out, &progress); err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, progress.String(), out.String())
	}
	table := tableLines(out.String())
	if len(table) != 1+1+4 { // echo; http-p50; idle: open, MiB, KiB/socket, opened/s
		t.Fatalf("want 6 table lines, got %d:\n%s", len(table), out.String())
	}
	for _, line := range table {
		cells := strings.Split(line, "|")
		cells = cells[1 : len(cells)-1]
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if len(cells) != 7 {
			t.Fatalf("line %q has %d cells", line, len(cells))
		}
		if cells[2] == "–" || cells[3] == "–" || cells[4] == "–" {
			t.Errorf("a side has no value: %q", line)
		}
	}
	if !strings.Contains(out.String(), "| all 50 open | yes |") {
		t.Errorf("the idle row did not hold all 50 sockets:\n%s", out.String())
	}
	if strings.Contains(out.String(), "Notes:") {
		t.Errorf("notes (errors?) under the table:\n%s", out.String())
	}
}

// tableLines are the table's body lines (not the header or separator).
func tableLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| path ") && !strings.HasPrefix(l, "| ---") {
			lines = append(lines, l)
		}
	}
	return lines
}

func TestMedianAndFormat(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}, {[]float64{7}, 7}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	for _, c := range []struct {
		v    float64
		unit string
		want string
	}{{100000, "open", "100,000"}, {999, "req/s", "999"}, {1234567.6, "msg/s", "1,234,568"},
		{0.0754, "ms", "0.075"}, {2047.96, "MiB", "2048.0"}, {-1500, "x", "-1,500"}} {
		if got := formatValue(c.v, c.unit); got != c.want {
			t.Errorf("formatValue(%v, %q) = %q, want %q", c.v, c.unit, got, c.want)
		}
	}
	if got := cell(2, 1, 3, 3, "ms"); got != "2.000 (1.000–3.000)" {
		t.Errorf("cell = %q", got)
	}
}

func TestFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-rows", "echo,nope"}, {"-rounds", "0"}, {"-sockets", "100000", "-per-source", "10"}, {"stray"},
	} {
		if _, err := parseFlags(args, &bytes.Buffer{}); err == nil {
			t.Errorf("parseFlags(%q): no error", args)
		}
	}
	o, err := parseFlags([]string{"-rows", "launch, echo,launch"}, &bytes.Buffer{})
	if err != nil || strings.Join(o.rows, ",") != "launch,echo" {
		t.Errorf("rows = %v, %v", o.rows, err)
	}
	if o, _ := parseFlags(nil, &bytes.Buffer{}); len(o.rows) != len(rowNames) {
		t.Errorf("default rows = %v", o.rows)
	}
}

func TestSourceIP(t *testing.T) {
	for _, c := range []struct {
		i, per int
		want   string
	}{{0, 20000, "127.0.0.2"}, {19999, 20000, "127.0.0.2"}, {20000, 20000, "127.0.0.3"}, {99999, 20000, "127.0.0.6"}} {
		if got := sourceIP(c.i, c.per).String(); got != c.want {
			t.Errorf("sourceIP(%d, %d) = %s, want %s", c.i, c.per, got, c.want)
		}
	}
}
