package config

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// How emu treats a key of wrangler's configuration schema
// (workers-sdk packages/workers-utils/src/config/environment.ts and
// config.ts).
type support int

const (
	supported   support = iota // read by emu
	localNoop                  // deploy-only: wrangler dev ignores it locally too, so emu says nothing
	unsupported                // changes how the Worker runs, but emu does not implement it: a warning
)

// Where a key may appear and whether a named environment inherits it.
type scope int

const (
	inheritable    scope = iota // [env.NAME] inherits the top-level value unless it sets its own
	nonInheritable              // [env.NAME] must set its own; the top-level value does not apply there
	topLevelOnly                // only at the top level
)

type keyInfo struct {
	support support
	scope   scope
}

// wranglerKeys is every top-level key of wrangler's schema, classified.
var wranglerKeys = map[string]keyInfo{
	// Inheritable.
	"name":                    {supported, inheritable},
	"main":                    {supported, inheritable},
	"compatibility_date":      {supported, inheritable},
	"compatibility_flags":     {supported, inheritable},
	"rules":                   {supported, inheritable},
	"build":                   {supported, inheritable},
	"limits":                  {supported, inheritable},
	"migrations":              {supported, inheritable},
	"tsconfig":                {supported, inheritable},
	"jsx_factory":             {supported, inheritable},
	"jsx_fragment":            {supported, inheritable},
	"no_bundle":               {supported, inheritable},
	"find_additional_modules": {supported, inheritable},
	"base_dir":                {supported, inheritable},
	"node_compat":             {unsupported, inheritable},
	"triggers":                {unsupported, inheritable},
	"assets":                  {unsupported, inheritable},
	"account_id":              {localNoop, inheritable},
	"workers_dev":             {localNoop, inheritable},
	"preview_urls":            {localNoop, inheritable},
	"route":                   {localNoop, inheritable},
	"routes":                  {localNoop, inheritable},
	"usage_model":             {localNoop, inheritable},
	"minify":                  {localNoop, inheritable},
	"keep_names":              {localNoop, inheritable},
	"preserve_file_names":     {localNoop, inheritable},
	"first_party_worker":      {localNoop, inheritable},
	"logfwdr":                 {localNoop, inheritable},
	"logpush":                 {localNoop, inheritable},
	"upload_source_maps":      {localNoop, inheritable},
	"placement":               {localNoop, inheritable},
	"observability":           {localNoop, inheritable},
	"compliance_region":       {localNoop, inheritable},
	"python_modules":          {localNoop, inheritable},
	"zone_id":                 {localNoop, inheritable},

	// Not inheritable.
	"vars":                      {supported, nonInheritable},
	"define":                    {supported, nonInheritable},
	"durable_objects":           {supported, nonInheritable},
	"kv_namespaces":             {supported, nonInheritable},
	"secrets":                   {supported, nonInheritable},
	"workflows":                 {unsupported, nonInheritable},
	"cloudchamber":              {unsupported, nonInheritable},
	"containers":                {unsupported, nonInheritable},
	"send_email":                {unsupported, nonInheritable},
	"queues":                    {unsupported, nonInheritable},
	"r2_buckets":                {unsupported, nonInheritable},
	"d1_databases":              {unsupported, nonInheritable},
	"vectorize":                 {unsupported, nonInheritable},
	"hyperdrive":                {unsupported, nonInheritable},
	"services":                  {supported, nonInheritable},
	"analytics_engine_datasets": {unsupported, nonInheritable},
	"browser":                   {unsupported, nonInheritable},
	"ai":                        {unsupported, nonInheritable},
	"images":                    {unsupported, nonInheritable},
	"media":                     {unsupported, nonInheritable},
	"version_metadata":          {unsupported, nonInheritable},
	"unsafe":                    {unsupported, nonInheritable},
	"mtls_certificates":         {unsupported, nonInheritable},
	"dispatch_namespaces":       {unsupported, nonInheritable},
	"pipelines":                 {unsupported, nonInheritable},
	"secrets_store_secrets":     {unsupported, nonInheritable},
	"unsafe_hello_world":        {unsupported, nonInheritable},
	"ratelimits":                {unsupported, nonInheritable},
	"worker_loaders":            {unsupported, nonInheritable},
	"vpc_services":              {unsupported, nonInheritable},
	"tail_consumers":            {localNoop, nonInheritable},
	"streaming_tail_consumers":  {localNoop, nonInheritable},

	// Top level only.
	"$schema":                {localNoop, topLevelOnly},
	"env":                    {supported, topLevelOnly},
	"alias":                  {supported, topLevelOnly},
	"dev":                    {supported, topLevelOnly},
	"keep_vars":              {localNoop, topLevelOnly},
	"send_metrics":           {localNoop, topLevelOnly},
	"legacy_env":             {localNoop, topLevelOnly},
	"site":                   {unsupported, topLevelOnly},
	"wasm_modules":           {unsupported, topLevelOnly},
	"text_blobs":             {unsupported, topLevelOnly},
	"data_blobs":             {unsupported, topLevelOnly},
	"pages_build_output_dir": {unsupported, topLevelOnly},
}

// Keys emu reads inside tables; any other key there gets a warning.
var nestedKeys = map[string][]string{
	"kv_namespaces[]":            {"binding", "id", "preview_id", "remote"},
	"durable_objects":            {"bindings"},
	"durable_objects.bindings[]": {"name", "class_name", "script_name", "environment"},
	"migrations[]":               {"tag", "new_classes", "new_sqlite_classes", "renamed_classes", "deleted_classes", "transferred_classes"},
	"build":                      {"command", "cwd", "watch_dir"},
	"limits":                     {"cpu_ms"},
	"rules[]":                    {"type", "globs", "fallthrough"},
	"secrets":                    {"required"},
	"dev":                        {"ip", "port", "local_protocol", "upstream_protocol", "host", "inspector_port", "inspector_ip", "enable_containers", "container_engine", "generate_types"},
}

// checkKeys warns about the keys of one table of the file (the top level,
// or [env.NAME] when env is set): one line per key emu does not implement,
// and one line, in wrangler's wording, naming the keys wrangler does not
// know either.
func checkKeys(d *doc, table map[string]any, env string) []string {
	var warnings, unknown []string
	at := func(k string) []any {
		if env == "" {
			return []any{k}
		}
		return []any{"env", env, k}
	}
	for _, k := range slices.Sorted(maps.Keys(table)) {
		info, ok := wranglerKeys[k]
		switch {
		case !ok:
			unknown = append(unknown, strconv.Quote(k))
		case env != "" && info.scope == topLevelOnly:
			warnings = append(warnings, d.errorf(at(k), "only allowed at the top level, not in [env.%s]; ignored", env).Error())
		case info.support == unsupported:
			warnings = append(warnings, d.errorf(at(k), "not supported by emu yet; ignored").Error())
		}
	}
	if len(unknown) > 0 {
		field := "top-level field"
		if env != "" {
			field = `"env.` + env + `" environment`
		}
		warnings = append(warnings, fmt.Sprintf("%s: Unexpected fields found in %s: %s", d.file, field, strings.Join(unknown, ",")))
	}
	return warnings
}

// checkNested warns about keys emu does not know inside the tables it reads.
func (r *fileReader) checkNested() {
	check := func(path []any, kind string, t map[string]any) {
		known := nestedKeys[kind]
		var extra []string
		for _, k := range slices.Sorted(maps.Keys(t)) {
			if !slices.Contains(known, k) {
				extra = append(extra, strconv.Quote(k))
			}
		}
		if len(extra) > 0 {
			r.warn(r.d.errorf(path, "unexpected fields, ignored: %s", strings.Join(extra, ",")).Error())
		}
	}
	for _, k := range []string{"durable_objects", "build", "limits", "secrets", "dev"} {
		if t, ok := r.get(r.at(k)...).(map[string]any); ok {
			check(r.at(k), k, t)
		}
	}
	for _, k := range []string{"kv_namespaces", "migrations", "rules"} {
		r.eachTable(r.at(k), func(path []any, t map[string]any) { check(path, k+"[]", t) })
	}
	r.eachTable(append(r.at("durable_objects"), "bindings"), func(path []any, t map[string]any) {
		check(path, "durable_objects.bindings[]", t)
	})
}

// eachTable calls fn for each table of the array of tables at path, if it is one.
func (r *fileReader) eachTable(path []any, fn func(path []any, t map[string]any)) {
	switch v := r.get(path...).(type) {
	case []map[string]any:
		for i, t := range v {
			fn(append(slices.Clip(path), i), t)
		}
	case []any:
		for i, e := range v {
			if t, ok := e.(map[string]any); ok {
				fn(append(slices.Clip(path), i), t)
			}
		}
	}
}
