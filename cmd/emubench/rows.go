package main

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// side is which server a measurement ran against.
type side string

const (
	sideEmu  side = "emu"
	sideBare side = "bare"
)

// sample is one measurement: metric key -> value.
type sample map[string]float64

// metric is one figure a row reports (a line of the table).
type metric struct {
	key    string
	label  string // the table's metric cell ("p50 ms", "RSS MiB")
	unit   string // how values are formatted: "ms", "MiB", "KiB/socket", else a count
	target target
	// optional metrics are left out of the table when no round has them.
	optional bool
}

func (m metric) name() string {
	if m.label != "" {
		return m.label
	}
	return m.unit
}

// target is the goal for a metric, judged on emu's median (and the
// bare median for ratios; NaN when the row has no bare side).
type target struct {
	text string
	ok   func(emu, bare float64) bool
}

func ratioAtLeast(x float64) target {
	return target{fmt.Sprintf("≥ %g× bare", x), func(e, b float64) bool { return b > 0 && e/b >= x }}
}

func ratioAtMost(x float64) target {
	return target{fmt.Sprintf("≤ %g× bare", x), func(e, b float64) bool { return b > 0 && e/b <= x }}
}

func atLeast(v float64, text string) target {
	return target{text, func(e, _ float64) bool { return e >= v }}
}

func atMost(v float64, text string) target {
	return target{text, func(e, _ float64) bool { return e <= v }}
}

// row is one line group of the table: a hot path measured on emu and, if
// bare is set, on a bare Go server doing the same job.
type row struct {
	name    string
	path    string // the table's "path" cell
	bare    string // what the bare server is ("" when there is none)
	metrics []metric
	// measure runs one round on one side: a fresh server, a warm-up, the
	// measurement, the server stopped. Notes are printed under the table.
	measure func(ctx context.Context, b *bench, s side) (sample, []string, error)
}

func (r *row) sides() []side {
	if r.bare == "" {
		return []side{sideEmu}
	}
	return []side{sideEmu, sideBare}
}

// describe renders a sample for the progress log.
func (r *row) describe(s sample) string {
	var parts []string
	for _, m := range r.metrics {
		if v, ok := s[m.key]; ok {
			parts = append(parts, m.name()+" "+formatValue(v, m.unit))
		}
	}
	return strings.Join(parts, ", ")
}

// rowNames is the table's order.
var rowNames = []string{"echo", "echo-p50", "http", "http-p50", "do", "idle", "many", "launch"}

func allRowNames() []string { return append([]string(nil), rowNames...) }

// rowByName builds the named row for the options (sizes appear in the path
// cell and in some targets).
func rowByName(name string, o options) *row {
	switch name {
	case "echo":
		return echoRow(o)
	case "echo-p50":
		return echoP50Row(o)
	case "http":
		return httpRow(o)
	case "http-p50":
		return httpP50Row(o)
	case "do":
		return doRow(o)
	case "idle":
		return idleRow(o)
	case "many":
		return manyRow(o)
	case "launch":
		return launchRow(o)
	}
	return nil
}

// selectRows parses -rows.
func selectRows(list string) ([]string, error) {
	if list == "all" || list == "" {
		return allRowNames(), nil
	}
	var out []string
	seen := map[string]bool{}
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		if n == "" || seen[n] {
			continue
		}
		if rowByName(n, defaultOptions()) == nil {
			return nil, fmt.Errorf("unknown row %q (rows: %s)", n, strings.Join(rowNames, ","))
		}
		seen[n] = true
		out = append(out, n)
	}
	return out, nil
}

// rowResult collects a row's rounds.
type rowResult struct {
	row    *row
	values map[side]map[string][]float64 // in round order
	notes  []string
	errs   []string
}

func (r *rowResult) add(s side, smp sample) {
	if r.values == nil {
		r.values = map[side]map[string][]float64{}
	}
	if r.values[s] == nil {
		r.values[s] = map[string][]float64{}
	}
	for k, v := range smp {
		r.values[s][k] = append(r.values[s][k], v)
	}
}

// stat is the median, min and max of one metric on one side (NaN if none).
func (r *rowResult) stat(s side, key string) (med, lo, hi float64, n int) {
	vs := r.values[s][key]
	if len(vs) == 0 {
		return math.NaN(), math.NaN(), math.NaN(), 0
	}
	lo, hi = minMax(vs)
	return median(vs), lo, hi, len(vs)
}

// metrics are the row's metrics that have something to show.
func (r *rowResult) metrics() []metric {
	var ms []metric
	for _, m := range r.row.metrics {
		if m.optional && len(r.values[sideEmu][m.key]) == 0 && len(r.values[sideBare][m.key]) == 0 {
			continue
		}
		ms = append(ms, m)
	}
	return ms
}
