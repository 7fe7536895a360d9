package main

import (
	"context"
	"strings"
	"testing"
)

func TestFlagsFirst(t *testing.T) {
	t.Parallel()
	flags := devCommand(context.Background(), nil, nil).Flags
	cases := []struct{ in, want string }{
		{"index.js --port 9000", "--port 9000 index.js"},
		{"--port 9000 index.js", "--port 9000 index.js"},
		{"src --local --var A:b --no-reload", "--local --var A:b --no-reload src"},
		{"index.js --live-reload=false -c w.toml", "--live-reload=false -c w.toml index.js"},
		{"-- --weird.js", "--weird.js"},
	}
	for _, tc := range cases {
		got := strings.Join(flagsFirst(strings.Fields(tc.in), flags), " ")
		if got != tc.want {
			t.Errorf("flagsFirst(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
