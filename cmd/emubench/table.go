package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// facts describe the machine and the run, printed above the table.
type facts struct {
	date, cpu, mem, kernel, goVersion, emu, loadStart string
	cores                                             int
	nofile                                            uint64
}

func machineFacts(b *bench) facts {
	f := facts{
		date:      time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		cores:     runtime.NumCPU(),
		cpu:       procField("/proc/cpuinfo", "model name"),
		mem:       procField("/proc/meminfo", "MemTotal"),
		kernel:    strings.TrimSpace(readFile("/proc/sys/kernel/osrelease")),
		goVersion: runtime.Version(),
		loadStart: loadAverage(),
		nofile:    b.nofile,
		emu:       b.emuBin,
	}
	if b.opts.emu == "" {
		f.emu = "built from ./cmd/emu"
		if out, err := exec.Command("git", "-C", b.root, "describe", "--always", "--dirty").Output(); err == nil {
			f.emu += " at " + strings.TrimSpace(string(out))
		}
	}
	if kib, err := strconv.ParseInt(strings.TrimSuffix(f.mem, " kB"), 10, 64); err == nil {
		f.mem = fmt.Sprintf("%.1f GiB", float64(kib)/(1<<20))
	}
	return f
}

func readFile(p string) string {
	data, _ := os.ReadFile(p)
	return string(data)
}

// procField is the value of the first "name: value" line of a /proc file.
func procField(path, name string) string {
	for _, line := range strings.Split(readFile(path), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

// loadAverage is the 1-minute load average (other work on the machine).
func loadAverage() string {
	if f := strings.Fields(readFile("/proc/loadavg")); len(f) > 0 {
		return f[0]
	}
	return "?"
}

// printReport prints the machine facts, the table, the raw rounds and the notes.
func printReport(w io.Writer, f facts, o options, results []*rowResult) {
	fmt.Fprintf(w, "## emubench: emu vs a bare Go server, same run\n\n")
	fmt.Fprintf(w, "- %s; %d cores (%s), %s RAM, Linux %s; load average %s at start, %s at end\n",
		f.date, f.cores, f.cpu, f.mem, f.kernel, f.loadStart, loadAverage())
	fmt.Fprintf(w, "- %s; emu %s; RLIMIT_NOFILE %d\n", f.goVersion, f.emu, f.nofile)
	fmt.Fprintf(w, "- rounds per row: %d, alternating a fresh `emu dev` and a fresh bare Go server (emu, bare, emu, bare, …); "+
		"the bare server is a child process (emubench itself with %s set); the clients run in the emubench process\n", o.rounds, bareEnv)
	fmt.Fprintf(w, "- each cell: median of the rounds (min–max); emu ÷ bare is of the medians; \"met\" judges emu's median\n\n")

	fmt.Fprintln(w, "| path | metric | bare Go | emu | emu ÷ bare | target | met |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- |")
	for _, r := range results {
		for i, m := range r.metrics() {
			path := ""
			if i == 0 {
				path = r.row.path
				if r.row.bare != "" {
					path += " — bare: " + r.row.bare
				}
			}
			em, elo, ehi, en := r.stat(sideEmu, m.key)
			bm, blo, bhi, bn := r.stat(sideBare, m.key)
			ratio, met, tgt := "–", "–", "–"
			if en > 0 && bn > 0 && bm != 0 {
				ratio = fmt.Sprintf("%.2f×", em/bm)
			}
			if m.target.ok != nil {
				tgt = m.target.text
				if en > 0 {
					met = map[bool]string{true: "yes", false: "**no**"}[m.target.ok(em, bm)]
				}
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", path, m.name(),
				cell(bm, blo, bhi, bn, m.unit), cell(em, elo, ehi, en, m.unit), ratio, tgt, met)
		}
	}

	fmt.Fprintf(w, "\nRaw rounds, in order:\n\n")
	for _, r := range results {
		for _, m := range r.metrics() {
			var parts []string
			for _, s := range r.row.sides() {
				var vs []string
				for _, v := range r.values[s][m.key] {
					vs = append(vs, formatValue(v, m.unit))
				}
				if len(vs) == 0 {
					vs = []string{"–"}
				}
				parts = append(parts, fmt.Sprintf("%s %s", s, strings.Join(vs, ", ")))
			}
			fmt.Fprintf(w, "- %s, %s: %s\n", r.row.name, m.name(), strings.Join(parts, "; "))
		}
	}
	var notes []string
	seen := map[string]bool{}
	for _, r := range results {
		for _, n := range r.notes {
			if !seen[n] { // the same note from every round once
				seen[n] = true
				notes = append(notes, n)
			}
		}
		for _, e := range r.errs {
			notes = append(notes, r.row.name+": error: "+e)
		}
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, "\nNotes:\n\n")
		for _, n := range notes {
			fmt.Fprintf(w, "- %s\n", n)
		}
	}
}

// cell renders "median (min–max)", or the median alone for one round.
func cell(med, lo, hi float64, n int, unit string) string {
	switch {
	case n == 0 || math.IsNaN(med):
		return "–"
	case n == 1:
		return formatValue(med, unit)
	}
	return fmt.Sprintf("%s (%s–%s)", formatValue(med, unit), formatValue(lo, unit), formatValue(hi, unit))
}
