package store

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"strings"
	stdsync "sync"
	"testing"
	"time"
)

func init() {
	// Verification reads the cost from each hash, so a cheap cost in tests
	// exercises the same code; TestPasswordHashDefaultCost covers the real one.
	hashCost = passwordParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
}

const headPassword = "mat-khau-lanh-dao"

// mustSetUpHead sets up a commune office with a head account and returns
// the store and the logged-in head.
func mustSetUpHead(tb testing.TB) (*Store, Actor) {
	tb.Helper()
	s := mustOpenStore(tb)
	st := domain.DefaultSettings()
	st.CollectorName = "Ban Dân vận Huyện ủy Tân Lạc"
	_, err := s.Setup(context.Background(), SetupInput{
		Office:   domain.Office{Code: "SH", Name: "UBND xã Suối Hoa", Kind: domain.KindXa, Role: domain.RoleCommune},
		Settings: st,
		Head:     &NewUser{Username: "ChuTich", FullName: "Nguyễn Văn An", Password: headPassword},
	})
	if err != nil {
		tb.Fatalf("Setup: %v", err)
	}
	head, err := s.Login(context.Background(), "chutich", headPassword)
	if err != nil {
		tb.Fatalf("Login head: %v", err)
	}
	return s, head
}

// fakeSleeper records the delays Login asks for instead of sleeping.
type fakeSleeper struct {
	mu    stdsync.Mutex
	asked []time.Duration
}

func (f *fakeSleeper) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, d)
	return nil
}

func useFakeSleeper(t *testing.T) *fakeSleeper {
	f := &fakeSleeper{}
	old := LoginSleep
	LoginSleep = f.sleep
	t.Cleanup(func() { LoginSleep = old })
	return f
}

func TestPasswordHashDefaultCost(t *testing.T) {
	old := hashCost
	hashCost = defaultPasswordParams
	defer func() { hashCost = old }()
	h, err := hashPassword("Suối Hoa 2026")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash = %q, want argon2id with the default cost", h)
	}
	for _, tt := range []struct {
		pw   string
		want bool
	}{{"Suối Hoa 2026", true}, {"suối hoa 2026", false}, {"", false}} {
		got, err := checkPassword(h, tt.pw)
		if err != nil || got != tt.want {
			t.Errorf("checkPassword(%q) = %v, %v; want %v", tt.pw, got, err, tt.want)
		}
	}
	h2, _ := hashPassword("Suối Hoa 2026")
	if h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestCheckPasswordRefusesMalformedHashes(t *testing.T) {
	for _, h := range []string{
		"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaGhhc2hoYXNoaGFzaA",
	} {
		if ok, err := checkPassword(h, "x"); ok || !errors.Is(err, errBadHash) {
			t.Errorf("checkPassword(%q) = %v, %v; want errBadHash", h, ok, err)
		}
	}
}

func TestSetupCreatesHeadAndLoginWorks(t *testing.T) {
	s, head := mustSetUpHead(t)
	ctx := context.Background()
	if head.Role != RoleHead || head.Name != "chutich" || head.UserID == "" {
		t.Fatalf("head actor = %+v", head)
	}
	users, err := s.Users(ctx)
	if err != nil || len(users) != 1 {
		t.Fatalf("Users = %v, %v", users, err)
	}
	if got, want := users[0].FullName, "Nguyễn Văn An"; got != want {
		t.Errorf("full name = %q, want %q", got, want)
	}
	var hash string
	s.db.QueryRow(`SELECT password_hash FROM users`).Scan(&hash)
	if strings.Contains(hash, headPassword) || !strings.HasPrefix(hash, "$argon2id$") {
		t.Errorf("stored password = %q, want only an argon2id hash", hash)
	}
	var audited int
	s.db.QueryRow(`SELECT count(*) FROM audit WHERE new_json LIKE ? OR old_json LIKE ?`, "%"+headPassword+"%", "%$argon2id%").Scan(&audited)
	if audited != 0 {
		t.Error("the audit trail holds a password or a hash")
	}
}

func TestSetupWithBadHeadStoresNothing(t *testing.T) {
	s := mustOpenStore(t)
	st := domain.DefaultSettings()
	st.CollectorName = "Ban Dân vận"
	_, err := s.Setup(context.Background(), SetupInput{
		Office:   domain.Office{Code: "SH", Name: "Suối Hoa", Kind: domain.KindXa, Role: domain.RoleCommune},
		Settings: st,
		Head:     &NewUser{Username: "chutich", FullName: "An", Password: "123"},
	})
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v, want a domain.ValidationError", err)
	}
	if fe, ok := ve.For("password"); !ok || fe.Code != "password_short" {
		t.Errorf("problems = %v, want password: password_short", ve.Fields)
	}
	if ok, _ := s.IsSetUp(context.Background()); ok {
		t.Error("a set-up with a bad head password stored the office")
	}
	if ok, _ := s.HasUsers(context.Background()); ok {
		t.Error("a refused set-up stored a user")
	}
}

func TestAddUserValidation(t *testing.T) {
	s, head := mustSetUpHead(t)
	tests := []struct {
		name  string
		nu    NewUser
		role  Role
		field string
		code  string
	}{
		{"empty name", NewUser{Username: "", FullName: "A", Password: "12345678"}, RoleOfficer, "username", "required"},
		{"spaces in name", NewUser{Username: "can bo", FullName: "A", Password: "12345678"}, RoleOfficer, "username", "username_chars"},
		{"diacritics in name", NewUser{Username: "cánbộ", FullName: "A", Password: "12345678"}, RoleOfficer, "username", "username_chars"},
		{"one letter", NewUser{Username: "a", FullName: "A", Password: "12345678"}, RoleOfficer, "username", "username_chars"},
		{"taken, other case", NewUser{Username: "CHUTICH", FullName: "A", Password: "12345678"}, RoleOfficer, "username", "username_taken"},
		{"no full name", NewUser{Username: "canbo", FullName: " ", Password: "12345678"}, RoleOfficer, "full_name", "required"},
		{"control in full name", NewUser{Username: "canbo", FullName: "A\x07", Password: "12345678"}, RoleOfficer, "full_name", "control_chars"},
		{"short password", NewUser{Username: "canbo", FullName: "A", Password: "1234567"}, RoleOfficer, "password", "password_short"},
		{"huge password", NewUser{Username: "canbo", FullName: "A", Password: strings.Repeat("x", 201)}, RoleOfficer, "password", "too_long"},
		{"bad role", NewUser{Username: "canbo", FullName: "A", Password: "12345678"}, RoleSystem, "user_role", "invalid_choice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.AddUser(context.Background(), head, tt.nu, tt.role)
			var ve *domain.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error = %v, want a domain.ValidationError", err)
			}
			if fe, ok := ve.For(tt.field); !ok || fe.Code != tt.code {
				t.Errorf("problems = %v, want %s: %s", ve.Fields, tt.field, tt.code)
			}
			if users, _ := s.Users(context.Background()); len(users) != 1 {
				t.Errorf("%d users after a refused AddUser, want 1", len(users))
			}
		})
	}
}

func TestOfficerLoginResetAndDisable(t *testing.T) {
	s, head := mustSetUpHead(t)
	ctx := context.Background()
	useFakeSleeper(t)
	u, err := s.AddUser(ctx, head, NewUser{Username: "canbo1", FullName: "Lò Thị Bình", Password: "mat-khau-1"}, RoleOfficer)
	if err != nil {
		t.Fatal(err)
	}
	officer, err := s.Login(ctx, " CanBo1 ", "mat-khau-1")
	if err != nil {
		t.Fatal(err)
	}
	if officer.Role != RoleOfficer || officer.UserID != u.ID {
		t.Errorf("officer actor = %+v", officer)
	}
	if err := s.ResetPassword(ctx, head, u.ID, "mat-khau-moi"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login(ctx, "canbo1", "mat-khau-1"); !errors.Is(err, ErrBadLogin) {
		t.Errorf("old password after reset: error = %v, want ErrBadLogin", err)
	}
	if _, err := s.Login(ctx, "canbo1", "mat-khau-moi"); err != nil {
		t.Errorf("new password after reset: %v", err)
	}
	if err := s.SetUserDisabled(ctx, head, u.ID, true); err != nil {
		t.Fatal(err)
	}
	_, err = s.Login(ctx, "canbo1", "mat-khau-moi")
	var le loginError
	if !errors.As(err, &le) || le.code != "login_disabled" {
		t.Errorf("disabled login error = %v, want login_disabled", err)
	}
	// The last active head cannot be turned off.
	err = s.SetUserDisabled(ctx, head, head.UserID, true)
	if !errors.Is(err, ErrConflict) {
		t.Errorf("disabling the last head: error = %v, want ErrConflict", err)
	}
	if _, err := s.Login(ctx, "chutich", headPassword); err != nil {
		t.Errorf("the head cannot log in after the refused disable: %v", err)
	}
}

func TestLoginDelayGrowsAndIsPersisted(t *testing.T) {
	s, _ := mustSetUpHead(t)
	ctx := context.Background()
	sl := useFakeSleeper(t)
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	for i := 0; i < 6; i++ {
		if _, err := s.Login(ctx, "chutich", "sai-mat-khau"); !errors.Is(err, ErrBadLogin) {
			t.Fatalf("attempt %d: error = %v, want ErrBadLogin", i, err)
		}
	}
	// Failures 1 and 2 are free; before attempts 4, 5 and 6 the account had
	// failed 3, 4, 5 times: 1 s, 2 s, 4 s.
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}
	if got := sl.asked; len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("delays = %v, want %v", got, want)
	}
	if n, _ := s.FailedLogins(ctx, "chutich"); n != 6 {
		t.Errorf("FailedLogins = %d, want 6", n)
	}
	// Time that has passed counts toward the delay.
	sl.asked = nil
	now = now.Add(5 * time.Second)
	s.Login(ctx, "chutich", "sai")
	if len(sl.asked) != 1 || sl.asked[0] != 3*time.Second {
		t.Errorf("delay after 5 s of an 8 s wait = %v, want [3s]", sl.asked)
	}
	// The count survives closing and opening the folder.
	dir := s.Dir()
	s.Close()
	s2, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	s2.Now = func() time.Time { return now }
	sl.asked = nil
	if _, err := s2.Login(ctx, "chutich", headPassword); err != nil {
		t.Fatal(err)
	}
	if len(sl.asked) != 1 || sl.asked[0] != 16*time.Second {
		t.Errorf("delay after reopening = %v, want [16s]", sl.asked)
	}
	if n, _ := s2.FailedLogins(ctx, "chutich"); n != 0 {
		t.Errorf("FailedLogins after a good login = %d, want 0", n)
	}
	if got := LoginDelay(100); got != time.Minute {
		t.Errorf("LoginDelay(100) = %v, want the 1 minute ceiling", got)
	}
}

func TestLoginIsAudited(t *testing.T) {
	s, _ := mustSetUpHead(t)
	ctx := context.Background()
	useFakeSleeper(t)
	s.Login(ctx, "chutich", "sai-mat-khau")
	s.Login(ctx, "khongco", "bat-ky")
	log, err := s.AuditLog(ctx, AuditFilter{Entity: "user"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action+":"+e.UserName)
	}
	got := strings.Join(actions, " ")
	want := "login_failed:khongco login_failed:chutich login:chutich insert:system"
	if got != want {
		t.Errorf("audit = %q, want %q", got, want)
	}
}
