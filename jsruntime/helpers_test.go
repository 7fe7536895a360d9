package jsruntime

import "regexp"

func mustMatch(re, s string) bool { return regexp.MustCompile(re).MatchString(s) }
