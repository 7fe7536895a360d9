package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// envReport is what testdata/config-env answers on /env.
type envReport struct {
	PLAIN, SECRET, MULTI, BUILD, Version string
	NUM                                  any
	FLAG                                 any
	OBJ                                  any
	Types                                []string
}

func getEnv(t *testing.T, p *emuProc) envReport {
	t.Helper()
	status, body, _ := p.get("/env")
	var r envReport
	if status != 200 || json.Unmarshal([]byte(body), &r) != nil {
		t.Fatalf("GET /env: %d %s", status, body)
	}
	return r
}

// TestConfigTopLevel: vars of every JSON type, .dev.vars (a bad line is a warning, the
// values hidden in the banner), define, the [build] command's output imported, a KV
// namespace in the banner.
func TestConfigTopLevel(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "config-env"))
	got := getEnv(t, p)
	want := envReport{PLAIN: "top", SECRET: "top-secret", MULTI: "a\nb", BUILD: "top-build", Version: "built-1",
		NUM: float64(42), FLAG: true, OBJ: map[string]any{"a": []any{float64(1), "x"}}, Types: []string{"number", "boolean", "object"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("/env = %+v\nwant %+v", got, want)
	}
	out := p.output()
	for _, line := range []string{
		`▲ [WARNING] .dev.vars:2: expected KEY=VALUE, got "this line is not valid"; line ignored`,
		"[custom build] Running: sh build.sh",
		"[custom build] wrote gen/version.js",
		"Using vars defined in .dev.vars",
		"  env.CACHE (top-cache-id)  KV Namespace",
		`  env.SECRET ("(hidden)")  Environment Variable`,
		`  env.PLAIN ("top")  Environment Variable`,
		`  env.NUM (42)  Environment Variable`,
	} {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("output lacks %q", line)
		}
	}
	if strings.Contains(out, "top-secret") {
		t.Error("the banner shows a secret's value")
	}
}

// TestConfigEnvStaging: --env staging / -e staging reads [env.staging]: its own vars,
// define and KV namespace (not inherited), the inherited [build], .dev.vars.staging
// instead of .dev.vars.
func TestConfigEnvStaging(t *testing.T) {
	t.Parallel()
	for _, flag := range []string{"--env", "-e"} {
		t.Run(flag, func(t *testing.T) {
			t.Parallel()
			p := startEmu(t, testdataCopy(t, "config-env"), flag, "staging")
			got := getEnv(t, p)
			want := envReport{PLAIN: "staging", SECRET: "staging-secret", BUILD: "staging-build", Version: "built-1",
				Types: []string{"undefined", "undefined", "undefined"}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("/env = %+v\nwant %+v", got, want)
			}
			out := p.output()
			for _, line := range []string{"Using vars defined in .dev.vars.staging", "  env.CACHE (staging-cache-id)  KV Namespace"} {
				if !strings.Contains(out, line+"\n") {
					t.Errorf("output lacks %q", line)
				}
			}
		})
	}
}

// TestConfigUnknownEnv: an --env the file does not define is wrangler's error, one line,
// exit 2.
func TestConfigUnknownEnv(t *testing.T) {
	t.Parallel()
	code, out := runEmu(t, testdataCopy(t, "config-env"), "dev", "--port", "0", "--env", "prod")
	want := "wrangler.toml: No environment found in configuration with name \"prod\". Before using `--env=prod` there should be " +
		"an equivalent environment section in the configuration. The available configured environment names are: [\"staging\"]\n"
	if code != 2 || out != want {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
}

// TestKVPersistsAcrossRestart: KV data is kept under --persist-to across a restart, per
// namespace id (the staging namespace is another one); a key over the limit is workerd's
// error.
func TestKVPersistsAcrossRestart(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "config-env")
	state := filepath.Join(t.TempDir(), "state")
	p := startEmu(t, dir, "--persist-to", state)
	for _, path := range []string{"/kv/put?k=user:1&v=ada", "/kv/put?k=user:2&v=bob", "/kv/put?k=tmp&v=x&ttl=60"} {
		if _, body, _ := p.get(path); body != "ok" {
			t.Fatalf("%s: %s", path, body)
		}
	}
	if _, body, _ := p.get("/kv/long"); body != "Error: KV PUT failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512." {
		t.Errorf("long key: %s", body)
	}
	p.stop()

	p = startEmu(t, dir, "--persist-to", state)
	if _, body, _ := p.get("/kv/get?k=user:2"); body != "bob" {
		t.Errorf("after restart: %q", body)
	}
	if _, body, _ := p.get("/kv/list?prefix=user:"); body != `{"keys":[{"name":"user:1"},{"name":"user:2"}],"list_complete":true,"cacheStatus":null}` {
		t.Errorf("list after restart: %s", body)
	}
	if _, err := os.Stat(filepath.Join(state, "kv", "top-cache-id.sqlite")); err != nil {
		t.Errorf("namespace database: %v", err)
	}
	p.stop()

	p = startEmu(t, dir, "--persist-to", state, "--env", "staging")
	if _, body, _ := p.get("/kv/get?k=user:2"); body != "null" {
		t.Errorf("staging namespace sees the top-level one's data: %q", body)
	}
}

// TestCustomBuild: the [build] command runs again when a file under watch_dir changes and
// the new output serves; a failing command is shown like a build error and the last good
// version keeps serving.
func TestCustomBuild(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "config-env")
	p := startEmu(t, dir)
	if v := getEnv(t, p).Version; v != "built-1" {
		t.Fatalf("version %q", v)
	}
	tmpl := filepath.Join(dir, "template", "version.js")
	from := p.lines()
	if err := os.WriteFile(tmpl, []byte("export default \"@VERSION@-2\";\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.waitForAfter(from, "Reloaded in ", 20*time.Second)
	if v := getEnv(t, p).Version; v != "built-2" {
		t.Fatalf("after the template changed: version %q", v)
	}

	from = p.lines()
	if err := os.WriteFile(tmpl, []byte("export default \"FAIL\";\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.waitForAfter(from, "[custom build] template says FAIL", 20*time.Second)
	p.waitForAfter(from, "✘ [ERROR] Custom build failed: `sh build.sh` exited with status 3", 20*time.Second)
	p.waitForAfter(from, "The last good version keeps serving.", 20*time.Second)
	if v := getEnv(t, p).Version; v != "built-2" {
		t.Fatalf("after a failed build: version %q", v)
	}
	// The command's own write of gen/version.js does not set off another build.
	if n := strings.Count(p.output(), "[custom build] Running: "); n != 3 {
		t.Errorf("the command ran %d times, want 3:\n%s", n, p.output())
	}
}

// TestDevVarsReload: saving .dev.vars reloads the Worker with the new values.
func TestDevVarsReload(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "config-env")
	p := startEmu(t, dir)
	from := p.lines()
	if err := os.WriteFile(filepath.Join(dir, ".dev.vars"), []byte("SECRET=rotated\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.waitForAfter(from, "Reloaded in ", 20*time.Second)
	if got := getEnv(t, p); got.SECRET != "rotated" || got.MULTI != "" {
		t.Errorf("after saving .dev.vars: SECRET %q, MULTI %q", got.SECRET, got.MULTI)
	}
}
