package jsruntime

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"
	"github.com/evanw/esbuild/pkg/api"
)

// bundleName is the file name goja gives the bundled script; source-map
// sources resolve relative to it, i.e. to the entry's directory.
const bundleName = "__emu_bundle.js"

// exportsGlobal is the global the bundle assigns its module namespace to.
const exportsGlobal = "__emu_exports"

// ModuleRule maps files to a module type, as wrangler's [[rules]]: "Text"
// (default export is the file as a string) or "Data" (an ArrayBuffer).
type ModuleRule struct {
	Type  string
	Globs []string
}

// BundleOptions says what to bundle.
type BundleOptions struct {
	Entry string       // absolute path of the entry module
	Rules []ModuleRule // first match wins
	// VirtualModules are import specifiers resolved to the given source, such
	// as "cloudflare:workers".
	VirtualModules map[string]string
	// Define replaces global identifiers with JS expressions (esbuild's
	// define; wrangler's `define`).
	Define map[string]string
	// Alias replaces imported module specifiers (esbuild's alias; wrangler's
	// `alias`).
	Alias map[string]string
	// Tsconfig is a tsconfig.json to use instead of the nearest one.
	Tsconfig string
	// JSXFactory and JSXFragment replace React.createElement and
	// React.Fragment.
	JSXFactory, JSXFragment string
	// Node says how Node.js's built-in modules resolve (nodejs_compat).
	Node NodeModules
}

// NodeModules are the Node.js built-in modules a bundle may import.
type NodeModules struct {
	// Sources maps the specifiers that resolve ("node:buffer", and "buffer"
	// under nodejs_compat_v2) to their virtual modules' source. Other
	// specifiers of built-ins resolve as esbuild does: a bare name may be a
	// package in node_modules; "node:…" fails.
	Sources map[string]string
	// Builtins names every Node.js built-in module ("buffer", "fs/promises"):
	// failing to resolve one gets wrangler's hint.
	Builtins []string
	// Mode is the compatibility mode as wrangler names it in the hint: ""
	// (no nodejs_compat), "als", "v1" or "v2".
	Mode string
}

// Bundle is a Worker's code as one script goja can run, with its source map.
type Bundle struct {
	Code      string
	SourceMap []byte
	Inputs    []string // absolute paths of the files read, for watching
	Dir       string   // entry's directory
}

// Message is a build error at a location, as esbuild reports it. Line is
// 1-based, Column 0-based (bytes).
type Message struct {
	File     string
	Line     int
	Column   int
	LineText string
	Text     string
	Notes    []string // further explanations, printed below the location
}

// BuildError is a failed build: one or more located messages.
type BuildError struct{ Messages []Message }

// Error renders the messages as esbuild prints them (the column is 0-based,
// as in esbuild's own output):
//
//	index.js:3:22: ERROR: Expected ";" but found "}"
//	    3 | export default { fetch() { return new Response("x" } }
//	      |                       ^
func (e *BuildError) Error() string {
	var b strings.Builder
	for i, m := range e.Messages {
		if i > 0 {
			b.WriteByte('\n')
		}
		if m.File == "" {
			fmt.Fprintf(&b, "ERROR: %s", m.Text)
		} else {
			fmt.Fprintf(&b, "%s:%d:%d: ERROR: %s", m.File, m.Line, m.Column, m.Text)
			if m.LineText != "" {
				num := fmt.Sprint(m.Line)
				pad := strings.Repeat(" ", len(num))
				fmt.Fprintf(&b, "\n    %s | %s\n    %s | %s^", num, m.LineText, pad, caretPad(m.LineText, m.Column))
			}
		}
		for _, n := range m.Notes {
			for _, l := range strings.Split(strings.TrimRight(n, "\n"), "\n") {
				b.WriteString("\n  " + l)
			}
		}
	}
	return b.String()
}

// caretPad is the whitespace that puts a caret under byte column col.
func caretPad(line string, col int) string {
	if col > len(line) {
		col = len(line)
	}
	var b strings.Builder
	for _, r := range line[:col] {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// BuildBundle bundles opts.Entry and everything it imports (relative files,
// packages in node_modules, TypeScript) into one script, lowering only the
// syntax goja lacks: async iteration, `using` declarations, logical
// assignment (`??=` on private fields), class fields (goja misreads a field
// named get or set) and import() (a computed specifier rejects: nothing
// outside the bundle can be imported).
func BuildBundle(opts BundleOptions) (*Bundle, error) {
	dir := filepath.Dir(opts.Entry)
	res := api.Build(api.BuildOptions{
		EntryPoints:   []string{opts.Entry},
		Bundle:        true,
		Write:         false,
		Metafile:      true,
		Format:        api.FormatIIFE,
		GlobalName:    exportsGlobal,
		Platform:      api.PlatformNeutral,
		Target:        api.ESNext,
		Supported:     map[string]bool{"async-generator": false, "for-await": false, "using": false, "logical-assignment": false, "class-field": false, "dynamic-import": false},
		Conditions:    []string{"workerd", "worker", "browser", "import", "default"},
		MainFields:    []string{"browser", "module", "main"},
		Sourcemap:     api.SourceMapLinked,
		Outfile:       filepath.Join(dir, bundleName),
		AbsWorkingDir: dir,
		LogLevel:      api.LogLevelSilent,
		Charset:       api.CharsetUTF8,
		Plugins:       []api.Plugin{virtualModules(opts.VirtualModules), moduleRules(opts.Rules), nodeBuiltins(opts.Node)},
		Define:        opts.Define,
		Alias:         opts.Alias,
		Tsconfig:      opts.Tsconfig,
		JSXFactory:    opts.JSXFactory,
		JSXFragment:   opts.JSXFragment,
	})
	if len(res.Errors) > 0 {
		return nil, buildError(res.Errors, dir, opts.Node)
	}
	b := &Bundle{Dir: dir}
	for _, f := range res.OutputFiles {
		switch {
		case strings.HasSuffix(f.Path, ".map"):
			b.SourceMap = f.Contents
		case strings.HasSuffix(f.Path, ".js"):
			b.Code = string(f.Contents)
		}
	}
	b.Inputs = metafileInputs(res.Metafile, dir)
	return b, nil
}

func buildError(msgs []api.Message, dir string, node NodeModules) *BuildError {
	e := &BuildError{}
	for _, m := range msgs {
		msg := Message{Text: m.Text}
		if l := m.Location; l != nil {
			msg.File, msg.Line, msg.Column, msg.LineText = relPath(dir, l.File), l.Line, l.Column, l.LineText
		}
		if note := nodeHint(m.Text, node); note != "" {
			msg.Notes = []string{note}
		}
		e.Messages = append(e.Messages, msg)
	}
	return e
}

func relPath(dir, p string) string {
	if !filepath.IsAbs(p) {
		return p
	}
	if r, err := filepath.Rel(dir, p); err == nil {
		return r
	}
	return p
}

func metafileInputs(meta, dir string) []string {
	var m struct {
		Inputs map[string]json.RawMessage `json:"inputs"`
	}
	if err := json.Unmarshal([]byte(meta), &m); err != nil {
		return nil
	}
	var out []string
	for p := range m.Inputs {
		if strings.Contains(p, ":") && !filepath.IsAbs(p) {
			continue // virtual modules ("emu-virtual:cloudflare:workers")
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func virtualModules(mods map[string]string) api.Plugin {
	return api.Plugin{Name: "emu-virtual", Setup: func(b api.PluginBuild) {
		b.OnResolve(api.OnResolveOptions{Filter: `^cloudflare:`}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
			if _, ok := mods[a.Path]; !ok {
				return api.OnResolveResult{}, fmt.Errorf("%s is not implemented in emu yet", a.Path)
			}
			return api.OnResolveResult{Path: a.Path, Namespace: "emu-virtual"}, nil
		})
		b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "emu-virtual"}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
			src := mods[a.Path]
			return api.OnLoadResult{Contents: &src, Loader: api.LoaderJS}, nil
		})
	}}
}

// nodeBuiltins resolves the specifiers of Node.js built-ins in
// m.Sources to their virtual modules (CommonJS, so `require("events")` is
// the module itself); others go on to esbuild's own resolution.
func nodeBuiltins(m NodeModules) api.Plugin {
	return api.Plugin{Name: "emu-node", Setup: func(b api.PluginBuild) {
		if len(m.Sources) == 0 {
			return
		}
		names := make([]string, len(m.Builtins))
		for i, n := range m.Builtins {
			names[i] = regexp.QuoteMeta(n)
		}
		filter := `^node:`
		if len(names) > 0 {
			filter = `^(node:.*|` + strings.Join(names, "|") + `)$`
		}
		b.OnResolve(api.OnResolveOptions{Filter: filter}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
			if _, ok := m.Sources[a.Path]; !ok {
				return api.OnResolveResult{}, nil
			}
			return api.OnResolveResult{Path: a.Path, Namespace: "emu-node"}, nil
		})
		b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "emu-node"}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
			src := m.Sources[a.Path]
			return api.OnLoadResult{Contents: &src, Loader: api.LoaderJS}, nil
		})
	}}
}

var unresolvedRe = regexp.MustCompile(`^Could not resolve "([^"]+)"$`)

// nodeHint is the note wrangler adds to a failure to resolve a Node.js
// built-in (which compatibility flag or date would make it resolve), or ""
// for other messages.
func nodeHint(text string, m NodeModules) string {
	sub := unresolvedRe.FindStringSubmatch(text)
	if sub == nil || !slices.Contains(m.Builtins, strings.TrimPrefix(sub[1], "node:")) {
		return ""
	}
	note := fmt.Sprintf("The package %q wasn't found on the file system but is built into node.\n", sub[1])
	switch {
	case m.Mode == "" || m.Mode == "als":
		note += "- Add the \"nodejs_compat\" compatibility flag to your project.\n"
	case m.Mode == "v1" && !strings.HasPrefix(sub[1], "node:"):
		note += "- Make sure to prefix the module name with \"node:\" or update your compatibility_date to 2024-09-23 or later.\n"
	}
	return note
}

// globRegexp turns a wrangler rule glob ("**/*.txt") into a regexp matched
// against the end of an absolute path.
func globRegexp(glob string) string {
	var b strings.Builder
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch {
		case strings.HasPrefix(glob[i:], "**/"):
			b.WriteString(`(.*/)?`)
			i += 2
		case c == '*':
			b.WriteString(`[^/]*`)
		case c == '?':
			b.WriteString(`[^/]`)
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return b.String()
}

func moduleRules(rules []ModuleRule) api.Plugin {
	type compiled struct {
		typ string
		re  *regexp.Regexp
	}
	var cs []compiled
	for _, r := range rules {
		for _, g := range r.Globs {
			if re, err := regexp.Compile(globRegexp(g)); err == nil {
				cs = append(cs, compiled{r.Type, re})
			}
		}
	}
	return api.Plugin{Name: "emu-rules", Setup: func(b api.PluginBuild) {
		b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "file"}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
			for _, c := range cs {
				if !c.re.MatchString(filepath.ToSlash(a.Path)) {
					continue
				}
				data, err := os.ReadFile(a.Path)
				if err != nil {
					return api.OnLoadResult{}, err
				}
				var src string
				switch c.typ {
				case "Text":
					q, _ := json.Marshal(string(data))
					src = "export default " + string(q) + ";"
				case "Data":
					// Hex, decoded with ES built-ins only: the module needs no
					// web API.
					src = `const h = "` + hex.EncodeToString(data) + `", u = new Uint8Array(h.length / 2);
for (let i = 0; i < u.length; i++) u[i] = parseInt(h.substr(2 * i, 2), 16);
export default u.buffer;`
				default:
					return api.OnLoadResult{}, fmt.Errorf("module rule type %q is not implemented in emu yet", c.typ)
				}
				return api.OnLoadResult{Contents: &src, Loader: api.LoaderJS}, nil
			}
			return api.OnLoadResult{}, nil // esbuild's own loaders
		})
	}}
}

// Load compiles and runs a bundle's top level on the loop and returns its
// module namespace (exports). Call it on the loop goroutine.
func Load(rt *goja.Runtime, b *Bundle) (*goja.Object, error) {
	ast, err := goja.Parse(bundleName, b.Code, parser.WithSourceMapLoader(func(string) ([]byte, error) {
		return b.SourceMap, nil
	}))
	if err != nil {
		return nil, fmt.Errorf("parse bundle: %w", err)
	}
	idx := prepareProgram(ast)
	if err := rt.GlobalObject().DefineDataPropertySymbol(sitesKey, rt.ToValue(idx), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return nil, fmt.Errorf("load bundle: %w", err)
	}
	prg, err := goja.CompileAST(ast, false)
	if err != nil {
		return nil, fmt.Errorf("compile bundle: %w", err)
	}
	if _, err := rt.RunProgram(prg); err != nil {
		return nil, err
	}
	ns := rt.Get(exportsGlobal)
	if ns == nil || goja.IsUndefined(ns) {
		return nil, fmt.Errorf("bundle did not define its exports")
	}
	return ns.ToObject(rt), nil
}
