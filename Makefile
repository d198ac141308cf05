# Fupin — build, run, test, benchmark.
#
#   make run     install missing system packages, build, open the REPL on the sample workspace
#   make test    install missing system packages, build, run every test
#   make lint    luacheck over every .lua file (.luacheckrc), swift-format over the Swift (.swift-format)
#   make format  rewrite the Swift sources in place with swift-format (.swift-format)
#   make bench   release build and the benchmarks beside their peers (QUICK=1 for a small scale)
#   make bench-pg  the same on a PostgreSQL store (a private server; Benchmarks/pg_bench.py)
#   make install copy the release binary and seeds under PREFIX (default /usr/local)

SYSTEM_PACKAGES := liblua5.4-dev libedit-dev libsqlite3-dev libseccomp-dev libxlsxwriter-dev libpq-dev pkg-config sqlite3
# The PostgreSQL server the tests start privately (Scripts/pg-test-server; docs/postgresql.md).
PG_PACKAGES := postgresql
# The benchmarks' peers and tools: lua5.4 + luasql (SQLite and PostgreSQL drivers), valgrind
# (instruction counts), python3 (the harness, the generator; pandas comes from PyPI).
BENCH_PACKAGES := lua5.4 lua-sql-sqlite3 lua-sql-postgres valgrind time
# The linters (Debian's luacheck).
LINT_PACKAGES := lua-check
# The documents: pandoc writes the summary's DOCX (rsvg-convert makes its charts PNG); the rendering tests read it back through
# LibreOffice (DOCX -> PDF), Chromium (HTML -> PDF), poppler's pdftotext/pdftoppm, with CJK fonts to lay it out;
# openpyxl reads the XLSX ledgers back.
RENDER_PACKAGES := pandoc librsvg2-bin poppler-utils libreoffice-writer-nogui chromium fonts-noto-cjk python3-openpyxl
SWIFT ?= swift
PREFIX ?= /usr/local
SAMPLE ?= .fupin-sample
FUPIN := .build/debug/fupin
# Release builds link the Swift runtime and Foundation statically: `fupin eval` then starts in a
# quarter fewer instructions and 6 MB less memory (BENCHMARKS.md, start-up). Same flag for
# `install` and `bench`, so the benchmarked binary is the installed one.
RELEASE_FLAGS := -c release --static-swift-stdlib

.PHONY: deps render-deps pg-deps reference-docx bench-deps lint-deps build run test lint lint-lua lint-swift format lua-suite bench bench-pg install clean

# Installs, through apt-get, the system packages that are missing (root or sudo needed once).
deps:
	@$(MAKE) --no-print-directory apt-missing PACKAGES="$(SYSTEM_PACKAGES)"

pg-deps:
	@$(MAKE) --no-print-directory apt-missing PACKAGES="$(PG_PACKAGES)"

render-deps:
	@$(MAKE) --no-print-directory apt-missing PACKAGES="$(RENDER_PACKAGES)"
	@python3 -c 'import openpyxl' 2>/dev/null || python3 -m pip install --quiet openpyxl

# Rebuilds Plugins/report/reference.docx (the GB/T 9704 styles pandoc lays the summary out with).
reference-docx:
	python3 Scripts/make-reference-docx.py

lint-deps:
	@$(MAKE) --no-print-directory apt-missing PACKAGES="$(LINT_PACKAGES)"

bench-deps: deps
	@$(MAKE) --no-print-directory apt-missing PACKAGES="$(BENCH_PACKAGES)"
	@python3 -c 'import pandas' 2>/dev/null || python3 -m pip install --quiet pandas

.PHONY: apt-missing
apt-missing:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

# Opens the REPL on a sample workspace made from seeds/ (kept in $(SAMPLE)/).
run: build
	@if [ ! -f $(SAMPLE)/fupin.sqlite ]; then $(FUPIN) init $(SAMPLE) --sample 2>/dev/null || mkdir -p $(SAMPLE); fi
	$(FUPIN) --workspace $(SAMPLE)

# The Swift suites, then every bundled plugin's specs (fupin test) on a scratch workspace, with a
# private PostgreSQL server (socket only, in a temporary folder) for the PostgreSQL tests; the
# server is stopped and its folder removed however the tests end.
test: deps render-deps pg-deps
	$(SWIFT) build --build-tests
	@dir=$$(mktemp -d /tmp/fupin-pg.XXXXXX) && uri=$$(Scripts/pg-test-server start "$$dir") || exit 1; \
	trap 'Scripts/pg-test-server stop "$$dir"' EXIT; \
	echo "PostgreSQL for the tests: $$uri"; \
	export FUPIN_TEST_POSTGRES="$$uri"; \
	$(SWIFT) test --skip-build && .build/debug/fupin test

# Every linter; each must report nothing.
lint: lint-lua lint-swift

# The Swift files swift-format formats and checks (the toolchain's `swift format`, configured by
# .swift-format): all of them but the frozen migration text, which is never edited.
SWIFT_FILES = Package.swift $(shell find Sources Tests Benchmarks -name '*.swift' -not -path '*/.build/*' -not -name 'MigrationV*.swift' | sort)
# 1 (the default): `make lint` fails on any swift-format finding. 0: it only counts them (for a
# branch made before the tree was formatted, until it is merged and formatted).
SWIFT_FORMAT_LINT ?= 1

# Rewrites the Swift files in place to the committed style.
format:
	@echo "swift format --in-place (.swift-format) over $(words $(SWIFT_FILES)) files"
	@$(SWIFT) format --in-place --parallel $(SWIFT_FILES)

lint-swift:
ifeq ($(SWIFT_FORMAT_LINT),1)
	@echo "swift format lint --strict (.swift-format) over $(words $(SWIFT_FILES)) files"
	@$(SWIFT) format lint --strict --parallel $(SWIFT_FILES)
else
	@n=$$($(SWIFT) format lint --parallel $(SWIFT_FILES) 2>&1 | grep -c ': warning:'); \
	echo "lint-swift: $$n swift-format findings, not enforced (SWIFT_FORMAT_LINT=0; 'make format' fixes them)"
endif

# luacheck over every .lua file below this folder: plugins (checked against what the sandbox
# offers), scripts, benchmarks and the Lua embedded in the binary (Sources/*/lua).
lint-lua: lint-deps
	luacheck --no-color .

# Runs the official Lua 5.4 test files under `fupin run` (LUA_TESTS=folder holding them).
lua-suite: build
	Tests/LuaSuite/run.sh "$(LUA_TESTS)"

bench: bench-deps
	$(SWIFT) build $(RELEASE_FLAGS)
	$(MAKE) -C Benchmarks bench QUICK=$(QUICK) ONLY=$(ONLY)

# The benchmarks on a PostgreSQL store (a private server the harness starts; Benchmarks/pg_bench.py).
bench-pg: bench-deps pg-deps
	$(SWIFT) build $(RELEASE_FLAGS)
	python3 Benchmarks/pg_bench.py $(if $(QUICK),--quick,) $(if $(ONLY),--only $(ONLY),)

install: deps
	$(SWIFT) build $(RELEASE_FLAGS)
	install -d $(PREFIX)/bin $(PREFIX)/share/fupin
	install -m 755 .build/release/fupin $(PREFIX)/bin/fupin
	cp -R seeds Plugins Scripts $(PREFIX)/share/fupin/ 2>/dev/null || true

clean:
	rm -rf .build $(SAMPLE)
