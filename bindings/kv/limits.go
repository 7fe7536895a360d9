package kv

import (
	"fmt"

	"github.com/emu-dev/emu/jsruntime"
)

// The KV API's limits as miniflare enforces them locally
// (workers-sdk packages/miniflare/src/workers/kv/constants.ts).
const (
	MaxKeySize       = 512
	MaxValueSize     = 25 << 20
	MaxMetadataSize  = 1024
	MinExpirationTTL = 60
	MinCacheTTL      = 30
	MaxListKeys      = 1000
	MaxBulkGetKeys   = 100
	MaxBulkSize      = 25 << 20
)

// validateKeyName is workerd's check of a key before any request
// (api/kv.c++ validateKeyName); method is "GET", "PUT" or "DELETE".
func validateKeyName(method, key string) *jsruntime.ScriptError {
	switch {
	case key == "":
		return jsruntime.Errorf(jsruntime.TypeError, "Key name cannot be empty.")
	case key == ".":
		return jsruntime.Errorf(jsruntime.TypeError, `"." is not allowed as a key name.`)
	case key == "..":
		return jsruntime.Errorf(jsruntime.TypeError, `".." is not allowed as a key name.`)
	case len(key) > MaxKeySize:
		return jsruntime.Errorf(jsruntime.Error, "KV %s failed: 414 UTF-8 encoded length of %d exceeds key length limit of %d.", method, len(key), MaxKeySize)
	}
	return nil
}

// failed is the Error workerd throws when the KV service answers a request with an error
// status: "KV <method> failed: <status> <statusText>", the status text being miniflare's
// message.
func failed(method string, status int, format string, args ...any) *jsruntime.ScriptError {
	return jsruntime.Errorf(jsruntime.Error, "KV %s failed: %d %s", method, status, fmt.Sprintf(format, args...))
}

// serviceKey is miniflare's validateKey, run by the KV service for every key it gets.
func serviceKey(method, key string) *jsruntime.ScriptError {
	switch {
	case key == "":
		return failed(method, 400, "Key names must not be empty")
	case key == "." || key == "..":
		return failed(method, 400, "Illegal key name %q. Please use a different name.", key)
	case len(key) > MaxKeySize:
		return failed(method, 414, "UTF-8 encoded length of %d exceeds key length limit of %d.", len(key), MaxKeySize)
	}
	return nil
}

// serviceCacheTTL is miniflare's check of get's cacheTtl (accepted, then ignored: the
// only "edge location" is this machine).
func serviceCacheTTL(method string, ttl *int64) *jsruntime.ScriptError {
	if ttl != nil && *ttl < MinCacheTTL {
		return failed(method, 400, "Invalid cache_ttl of %d. Cache TTL must be at least %d.", *ttl, MinCacheTTL)
	}
	return nil
}

// putExpiration is miniflare's validatePutOptions for the expiration: expirationTtl wins
// over expiration. now is in seconds. It returns the absolute expiration (0 for none).
func putExpiration(now int64, expiration, expirationTTL *int64) (int64, *jsruntime.ScriptError) {
	switch {
	case expirationTTL != nil:
		ttl := *expirationTTL
		if ttl <= 0 {
			return 0, failed("PUT", 400, "Invalid expiration_ttl of %d. Please specify integer greater than 0.", ttl)
		}
		if ttl < MinExpirationTTL {
			return 0, failed("PUT", 400, "Invalid expiration_ttl of %d. Expiration TTL must be at least %d.", ttl, MinExpirationTTL)
		}
		return now + ttl, nil
	case expiration != nil:
		exp := *expiration
		if exp <= now {
			return 0, failed("PUT", 400, "Invalid expiration of %d. Please specify integer greater than the current number of seconds since the UNIX epoch.", exp)
		}
		if exp < now+MinExpirationTTL {
			return 0, failed("PUT", 400, "Invalid expiration of %d. Expiration times must be at least %d seconds in the future.", exp, MinExpirationTTL)
		}
		return exp, nil
	}
	return 0, nil
}

// putSizes is miniflare's check of the metadata and value sizes.
func putSizes(metadata *string, valueLen int) *jsruntime.ScriptError {
	if metadata != nil && len(*metadata) > MaxMetadataSize {
		return failed("PUT", 413, "Metadata length of %d exceeds limit of %d.", len(*metadata), MaxMetadataSize)
	}
	if valueLen > MaxValueSize {
		return failed("PUT", 413, "Value length of %d exceeds limit of %d.", valueLen, MaxValueSize)
	}
	return nil
}

// listOptions is miniflare's validateListOptions; workerd sends the limit only when it is
// positive (so 0 and negative limits mean the default of 1000).
func listOptions(limit int64, prefix string) *jsruntime.ScriptError {
	if limit > MaxListKeys {
		return failed("GET", 400, "Invalid key_count_limit of %d. Please specify an integer less than %d.", limit, MaxListKeys)
	}
	if len(prefix) > MaxKeySize {
		return failed("GET", 414, "UTF-8 encoded length of %d exceeds key length limit of %d.", len(prefix), MaxKeySize)
	}
	return nil
}

// bulkOptions is miniflare's check of a bulk get.
func bulkOptions(typ string, n int) *jsruntime.ScriptError {
	if typ != "" && typ != "text" && typ != "json" {
		return failed("GET_BULK", 400, `%q is not a valid type. Use "json" or "text"`, typ)
	}
	if n > MaxBulkGetKeys {
		return failed("GET_BULK", 400, "You can request a maximum of %d keys", MaxBulkGetKeys)
	}
	if n < 1 {
		return failed("GET_BULK", 400, "You must request a minimum of 1 key")
	}
	return nil
}
