package store

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	stdsync "sync"

	"golang.org/x/crypto/argon2"
)

// passwordParams is the argon2id cost. The values follow OWASP's minimum
// for argon2id (19 MiB, 2 passes, 1 lane), which a commune's old PC still
// computes in a fraction of a second. They are written into every hash, so
// raising them later leaves existing passwords working.
type passwordParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	SaltLen int
	KeyLen  uint32
}

var defaultPasswordParams = passwordParams{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// hashCost is what new hashes use; store tests lower it to keep -race runs
// quick, which is safe because verification reads the cost from the hash.
var hashCost = defaultPasswordParams

var b64 = base64.RawStdEncoding

// hashPassword returns the encoded argon2id hash of password with a fresh
// random salt.
func hashPassword(password string) (string, error) {
	p := hashCost
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("store: malformed password hash")

// checkPassword reports whether password matches encoded, in constant time.
func checkPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var p passwordParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, errBadHash
	}
	// Bounds keep a tampered row from making a login allocate gigabytes.
	if p.Memory < 8 || p.Memory > 1<<21 || p.Time < 1 || p.Time > 64 || p.Threads < 1 {
		return false, errBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 128 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when a login names no known user, so that
// the answer takes as long as for a real user and does not reveal which
// login names exist.
var dummyHash = stdsync.OnceValue(func() string {
	h, _ := hashPassword("danvan-dummy-password")
	return h
})
