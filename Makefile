# Guanbiao: `make run` builds everything and starts the platform with demo data on
# http://127.0.0.1:8080; `make test` runs every test. Both install what they need first.
.PHONY: all setup setup-test build web run test bench clean

DB ?= sqlite:guanbiao.db
LISTEN ?= 127.0.0.1:8080

# The server embeds web/dist (tools/embed_web.py), so the web application is built first.
all: build

setup:
	@scripts/setup.sh run

setup-test:
	@scripts/setup.sh test

build: setup web
	@[ -f build/build.ninja ] || meson setup build --buildtype=debugoptimized
	@ninja -C build

WEB_SOURCES := $(shell find web/src web/public web/index.html web/vite.config.* web/package.json web/package-lock.json web/scripts -type f 2>/dev/null)

web/dist/index.html: $(WEB_SOURCES)
	@cd web && npm run build --silent
	@touch web/dist/index.html

web: setup web/dist/index.html

run: all
	@./build/guanbiao seed --demo --db $(DB)
	@echo "Guanbiao on http://$(LISTEN) — Ctrl-C stops it"
	@./build/guanbiao serve --db $(DB) --listen $(LISTEN)

test: setup-test
	@$(MAKE) --no-print-directory web
	@[ -f build/build.ninja ] || meson setup build --buildtype=debugoptimized
	@ninja -C build
	@tests/run.sh

bench: setup-test all
	@bench/certificates/run.sh

clean:
	rm -rf build build-asan build-fuzz web/dist
