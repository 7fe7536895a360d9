// Package reload keeps the running Worker in step with its source: a
// Watcher reports changed files (fsnotify, debounced) and a Reloader
// rebuilds the Worker from them and swaps the new version in, keeping the
// last good one serving when a build fails.
package reload

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// WatchOptions configures a Watcher.
type WatchOptions struct {
	Root     string        // directory tree to watch
	Ignore   []string      // absolute paths not to watch (the persist dir)
	Debounce time.Duration // quiet time that ends a burst of events
	// OnChange receives the files changed in one burst. Calls never overlap.
	OnChange func(changed []string)
}

// Watcher watches a directory tree.
type Watcher struct {
	opts WatchOptions
	fw   *fsnotify.Watcher
	done chan struct{}
	wg   sync.WaitGroup
}

// Watch starts watching opts.Root and every directory below it, except
// ignored ones, node_modules and dot-directories; directories created later
// are watched too.
func Watch(opts WatchOptions) (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", opts.Root, err)
	}
	w := &Watcher{opts: opts, fw: fw, done: make(chan struct{})}
	if err := w.addTree(opts.Root); err != nil {
		fw.Close()
		return nil, err
	}
	w.wg.Add(1)
	go w.loop()
	return w, nil
}

// Close stops watching and waits for a running OnChange to return.
func (w *Watcher) Close() {
	close(w.done)
	w.fw.Close()
	w.wg.Wait()
}

func (w *Watcher) skipDir(p string) bool {
	base := filepath.Base(p)
	if p != w.opts.Root && (base == "node_modules" || strings.HasPrefix(base, ".")) {
		return true
	}
	for _, ig := range w.opts.Ignore {
		if p == ig || strings.HasPrefix(p, ig+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// skipFile drops editor droppings: swap and backup files, and dot-files other than
// .dev.vars and .env files.
func skipFile(p string) bool {
	base := filepath.Base(p)
	if IsVarsFile(p) {
		return false
	}
	return strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".swx") ||
		strings.HasPrefix(base, ".#") || strings.HasSuffix(base, ".tmp") || base == "4913" || strings.HasPrefix(base, ".")
}

// IsVarsFile reports whether p is a .dev.vars or .env file (of any environment).
func IsVarsFile(p string) bool {
	base := filepath.Base(p)
	return base == ".dev.vars" || strings.HasPrefix(base, ".dev.vars.") || base == ".env" || strings.HasPrefix(base, ".env.")
}

func (w *Watcher) addTree(root string) error {
	return filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if !d.IsDir() {
			return nil
		}
		if w.skipDir(p) {
			return filepath.SkipDir
		}
		if err := w.fw.Add(p); err != nil {
			return fmt.Errorf("watch %s: %w", p, err)
		}
		return nil
	})
}

func (w *Watcher) loop() {
	defer w.wg.Done()
	pending := map[string]bool{}
	var timer *time.Timer
	var fire <-chan time.Time
	for {
		select {
		case <-w.done:
			return
		case ev, ok := <-w.fw.Events:
			if !ok {
				return
			}
			if w.skipDir(filepath.Dir(ev.Name)) || (w.skipDir(ev.Name) && !IsVarsFile(ev.Name)) || skipFile(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					_ = w.addTree(ev.Name)
				}
			}
			if ev.Op == fsnotify.Chmod {
				continue
			}
			pending[ev.Name] = true
			if timer == nil {
				timer = time.NewTimer(w.opts.Debounce)
			} else {
				timer.Reset(w.opts.Debounce)
			}
			fire = timer.C
		case <-fire:
			fire = nil
			changed := make([]string, 0, len(pending))
			for p := range pending {
				changed = append(changed, p)
			}
			sort.Strings(changed)
			pending = map[string]bool{}
			w.opts.OnChange(changed)
		case <-w.fw.Errors:
		}
	}
}
