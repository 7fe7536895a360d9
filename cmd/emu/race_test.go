//go:build race

package main

// raceEnabled: the tests run with -race, so the emu binary they drive is
// built with it too, and a data race in emu fails the run.
const raceEnabled = true
