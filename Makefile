# danvan — the two commands a newcomer needs are `make run` and `make test`.
# Both install what is missing on a Debian/Ubuntu machine first.

GO       ?= go
BIN      := danvan
VERSION  := $(shell sed -n 's/^Version = "\(.*\)"/\1/p' FyneApp.toml)
LDFLAGS  := -X main.version=$(VERSION)
# no_emoji leaves out Fyne's 4 MB colour emoji font, which Fyne otherwise
# parses once for every text style the window uses: 17 MB of memory for
# glyphs a commune office's records do not need (docs/performance.md P7).
# An emoji pasted into a record is still stored and exported unchanged.
TAGS     := no_emoji
STATICCHECK_VERSION := v0.8.2

# System packages: to build Fyne, and what the tests use (a real window
# under Xvfb, pdftotext, stock minisign, the Windows cross-compiler, fonts,
# Wine to start the .exe, NSIS and zip to package it; the spreadsheets and
# the stock sqlite3 and zbarimg that officers and auditors open our files
# with, for the round-trip tests).
RUN_PKGS  := gcc libgl1-mesa-dev xorg-dev
TEST_PKGS := $(RUN_PKGS) xvfb xdotool imagemagick poppler-utils minisign age \
             gcc-mingw-w64-x86-64 fonts-croscore file \
             wine wine64 nsis zip unzip \
             sqlite3 gnumeric libreoffice-calc-nogui zbar-tools curl

.PHONY: run test build windows deps-run deps-test fmt-check vet staticcheck \
        unit rules smoke fuzz bench bench-tiny killtest clean

run: deps-run build
	./$(BIN)

build:
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) .

# make test is deterministic: `go test` runs every fuzz target over its
# f.Add seeds and its committed corpus (testdata/fuzz/<Target>/) as plain
# tests. Exploring for new inputs is `make fuzz`, never part of make test;
# what it finds is fixed and its input committed, so it runs here after.
test: deps-test fmt-check vet staticcheck unit rules bounds build windows smoke journey smoke-windows bench-tiny
	@echo "make test: all checks passed"

deps-run:
	@scripts/apt-ensure.sh $(RUN_PKGS)

deps-test:
	@scripts/apt-ensure.sh $(TEST_PKGS)

fmt-check:
	@bad=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$bad" ]; then echo "gofmt would change:"; echo "$$bad"; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck:
	@command -v staticcheck >/dev/null 2>&1 && staticcheck -version | grep -q "$(STATICCHECK_VERSION:v%=%)" || \
		$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	PATH="$$($(GO) env GOPATH)/bin:$$PATH" staticcheck ./...

unit:
	DANVAN_INTEROP=required $(GO) test -race -timeout 30m ./...

# The SQL copies of the tally rules against the Go rules over every blank
# pattern: -race makes SQLite too slow for the whole set, so unit runs a
# sample and this the whole, in a plain build.
rules:
	$(GO) test -tags $(TAGS) -count=1 -run '^TestSQLRulesAgreeWithGo$$' ./store

# danvan serve under attack (30 bodies of 100 MiB at once, 6.000 slow
# connections) and the spreadsheet readers under zip bombs stay under
# 300 MB: measured without -race, which multiplies memory.
.PHONY: bounds
bounds:
	$(GO) test -count=1 -run '^TestServeStaysBounded$$' -v ./sync/exchange
	$(GO) test -count=1 -run '^TestSpreadsheetBombsRefused$$' -v ./report/sheet

# The Windows build officers install. CGO is needed by Fyne's GLFW driver.
# -s -w leaves out the DWARF tables (half of the file); panics still
# name the function and line.
# scripts/winres.sh puts the icon, version details and manifest of
# FyneApp.toml into rsrc_windows_amd64.syso, which only this build links;
# scripts/windows-package.sh then makes the installer and the portable zip.
windows:
	scripts/winres.sh build/winres
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS) -s -w -H=windowsgui" -o build/$(BIN).exe . ; \
		rc=$$?; rm -f rsrc_windows_amd64.syso; exit $$rc
	@file build/$(BIN).exe | grep -q 'PE32+ executable (GUI) x86-64' || \
		{ file build/$(BIN).exe; echo "build/$(BIN).exe is not a PE32+ GUI executable"; exit 1; }
	@echo "build/$(BIN).exe: PE32+ GUI executable for Windows x86-64"
	scripts/windows-package.sh build/$(BIN).exe $(VERSION)

# The Windows build started under Wine and Xvfb: version, init, the window.
.PHONY: smoke-windows screenshots
smoke-windows: windows
	scripts/smoke-windows.sh build/$(BIN).exe

# The user guide's pictures (docs/img), from the real window under Xvfb.
screenshots: deps-test build
	scripts/screenshots.sh ./$(BIN) docs/img

smoke: build
	scripts/smoke.sh ./$(BIN)

# An officer's day and the collecting office's, with real mouse clicks and
# keys in the real window at 1024×768 (JOURNEY_SHOTS=DIR keeps the pictures).
.PHONY: journey
journey: build
	scripts/journey.sh ./$(BIN)

# Explores every fuzz target for FUZZTIME (default 60s each). A failing input
# is written under the package's testdata/fuzz/; fix the code and commit it.
FUZZTIME ?= 60s
fuzz:
	scripts/fuzz.sh $(FUZZTIME)

bench:
	scripts/bench.sh

bench-tiny:
	scripts/bench.sh --tiny

killtest: build
	scripts/killtest.sh ./$(BIN) 200

clean:
	rm -rf $(BIN) build
