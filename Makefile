# Fupin — build, run, test, benchmark.
#
#   make run     install missing system packages, build, open the REPL on the sample workspace
#   make test    install missing system packages, build, run every test
#   make bench   release build and the benchmarks beside their peers (QUICK=1 for a small scale)
#   make install copy the release binary and seeds under PREFIX (default /usr/local)

SYSTEM_PACKAGES := liblua5.4-dev libedit-dev libsqlite3-dev pkg-config sqlite3
SWIFT ?= swift
PREFIX ?= /usr/local
SAMPLE ?= .fupin-sample
FUPIN := .build/debug/fupin

.PHONY: deps build run test lua-suite bench install clean

# Installs, through apt-get, the system packages that are missing (root or sudo needed once).
deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
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

# The Swift suites, then every bundled plugin's specs (fupin test) on a scratch workspace.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	.build/debug/fupin test

# Runs the official Lua 5.4 test files under `fupin run` (LUA_TESTS=folder holding them).
lua-suite: build
	Tests/LuaSuite/run.sh "$(LUA_TESTS)"

bench: deps
	$(MAKE) -C Benchmarks bench QUICK=$(QUICK)

install: deps
	$(SWIFT) build -c release
	install -d $(PREFIX)/bin $(PREFIX)/share/fupin
	install -m 755 .build/release/fupin $(PREFIX)/bin/fupin
	cp -R seeds Plugins $(PREFIX)/share/fupin/ 2>/dev/null || true

clean:
	rm -rf .build $(SAMPLE)
