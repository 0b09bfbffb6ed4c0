# rollcall — GNU Make, pkg-config for every library, objects in $(BUILD)/.
# `make check` is the one test command; `make demo` shows the tool at work.

PKGS      := glib-2.0 libpcre2-8 xlsxwriter minizip expat freexl
CC        ?= cc
CFLAGS    ?= -O2 -g
PYTHON    ?= /usr/bin/python3
BUILD     ?= build
PREFIX    ?= /usr/local
DEPS_STAMP = $(BUILD)/.deps-ok

# pkg-config is asked lazily (=) so that `make demo` on a bare machine can
# install the packages before anything needs their flags.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# libcsv (Debian's libcsv-dev) ships no pkg-config file: name it directly.
CSV_LIBS   := -lcsv

VERSION    := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
WARN       := -std=c11 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
DEFS       := -D_GNU_SOURCE -DPCRE2_CODE_UNIT_WIDTH=8 -DRC_VERSION='"$(VERSION)"'
# CPPFLAGS and LDFLAGS as the environment gives them (dpkg-buildflags'
# hardening in the .deb: _FORTIFY_SOURCE, relro, now).
ALL_CFLAGS = $(WARN) $(DEFS) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -Ilib -MMD -MP
ALL_LIBS   = $(PKG_LIBS) $(CSV_LIBS) -lm -lpthread

LIB_SRC    := $(wildcard lib/*.c)
CMD_SRC    := $(wildcard cmd/*.c)
TEST_SRC   := $(wildcard tests/test_*.c)
LIB_OBJ    := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ    := $(CMD_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ   := $(TEST_SRC:%.c=$(BUILD)/%.o)
TEST_BIN   := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
LIBRC      := $(BUILD)/librollcall.a
BIN        := $(BUILD)/rollcall
MAN        := $(BUILD)/rollcall.1
MAN_HOURLY := $(BUILD)/rollcall-hourly.1
MANDIR     ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DOCDIR     ?= $(PREFIX)/share/doc/rollcall

.PHONY: all deps check unit e2e demo render asan valgrind fuzz bench bench-city install clean golden-update lint \
        man man-check completion-check deps-check deb deb-check

all: $(BIN)

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/install-deps.sh
	@mkdir -p $(@D)
	@sh scripts/install-deps.sh
	@touch $@

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBRC): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CMD_OBJ) $(LIBRC)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CMD_OBJ) $(LIBRC) $(ALL_LIBS)

# The test objects are real targets, not intermediates that make would delete
# (and so rebuild every test on every run).
.SECONDARY: $(TEST_OBJ)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIBRC)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBRC) $(ALL_LIBS) $(shell pkg-config --libs cmocka 2>/dev/null)

# Every unit test binary runs, even after a failure; the target fails if any did.
unit: $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do echo "== $$t"; $$t || fail=1; done; exit $$fail

e2e: $(BIN)
	@ROLLCALL=$(BIN) PYTHON=$(PYTHON) BUILD=$(BUILD) sh tests/e2e/run.sh

check: deps
	@$(MAKE) --no-print-directory all $(TEST_BIN)
	@fail=0; $(MAKE) --no-print-directory unit || fail=1; \
	 $(MAKE) --no-print-directory e2e || fail=1; \
	 $(MAKE) --no-print-directory man-check completion-check deps-check || fail=1; exit $$fail

# AddressSanitizer + UndefinedBehaviorSanitizer over every test, in its own tree.
asan: deps
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  $(MAKE) --no-print-directory BUILD=build/asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  all unit e2e

# valgrind memcheck over every end-to-end test (slow; not in CI's time budget).
valgrind: deps
	@$(MAKE) --no-print-directory all
	@command -v valgrind >/dev/null || apt-get install -y -qq valgrind
	@VALGRIND=1 ROLLCALL=$(BIN) PYTHON=$(PYTHON) BUILD=$(BUILD) sh tests/e2e/run.sh

golden-update: $(BIN)
	@GOLDEN_UPDATE=1 ROLLCALL=$(BIN) PYTHON=$(PYTHON) BUILD=$(BUILD) sh tests/e2e/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh $(BIN)

# libFuzzer targets (clang), each run FUZZ_SECONDS on its corpus, seeded
# from tests/fuzz/seeds/; a crash, leak or timeout fails the target.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := source table norm merge xlsx config
FUZZ_CFLAGS  = -std=c11 -g -O1 -fsanitize=fuzzer-no-link,address,undefined $(DEFS) $(PKG_CFLAGS) -Ilib
FUZZ_LIB_OBJ = $(LIB_SRC:lib/%.c=$(BUILD)/fuzz/lib/%.o)

# lib/ is compiled once for every target (instrumented, without a main).
$(BUILD)/fuzz/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	@echo "  FUZZCC  $<"
	@clang $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ)
	@echo "  FUZZ    $* (build)"
	@clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_LIB_OBJ) -o $@ $(ALL_LIBS)

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(BUILD)/fuzz/corpus-$$t; \
	  echo "  FUZZ    $$t ($(FUZZ_SECONDS) s)"; \
	  $(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	    -print_final_stats=1 -artifact_prefix=$(BUILD)/fuzz/$$t- \
	    $(BUILD)/fuzz/corpus-$$t tests/fuzz/seeds/$$t 2>$(BUILD)/fuzz/$$t.log \
	    || { tail -40 $(BUILD)/fuzz/$$t.log; exit 1; }; \
	  grep -E 'stat::number_of_executed_units|stat::peak_rss' $(BUILD)/fuzz/$$t.log; \
	done

# cppcheck and clang-tidy over lib/ and cmd/ with the project's flags; any
# finding fails. The clang-tidy checks, and why some are left out, are in
# .clang-tidy; false positives are suppressed where they stand, with why
# (cppcheck-suppress, NOLINT). clang-tidy runs two files at a time.
LINT_FLAGS = $(DEFS) $(PKG_CFLAGS) -Ilib
lint: deps
	@echo "  CPPCHECK lib cmd"
	@cppcheck --enable=warning,performance,portability --inline-suppr --error-exitcode=1 -q \
	  --std=c11 --library=gtk $(LINT_FLAGS) lib cmd
	@echo "  TIDY    lib cmd"
	@printf '%s\n' $(LIB_SRC) $(CMD_SRC) | \
	  xargs -P2 -I{} clang-tidy --quiet {} -- -std=c11 $(LINT_FLAGS) 2>/dev/null

# The demo workbook as PDF and PNG pages (LibreOffice headless, pdftoppm).
render: demo
	@sh scripts/render.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) PYTHON=$(PYTHON) sh scripts/bench/run.sh $(BIN)

# A whole city (25M + 25M): minutes and gigabytes; not run by CI.
bench-city: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) PYTHON=$(PYTHON) sh scripts/bench/bench-city.sh $(BIN)

# rollcall(1): help2man over the program's own --help texts (scripts/man-help
# joins the subcommands'), with docs/rollcall.h2m for what help cannot hold.
# Characters beyond ASCII are written as groff's \[uXXXX], so that the page
# renders the same whatever groff takes the input's encoding to be.
man: $(MAN) $(MAN_HOURLY)
$(MAN): $(BIN) scripts/man-help docs/rollcall.h2m
	@echo "  MAN     $@"
	@ROLLCALL=$(BIN) LC_ALL=C.UTF-8 help2man --no-info --section=1 \
	  --name='merge test result exports with household rosters' \
	  --include=docs/rollcall.h2m --output=$@.tmp scripts/man-help
	@perl -CSD -pi -e 's/([^\x00-\x7f])/sprintf("\\[u%04X]", ord($$1))/ge' $@.tmp
	@mv $@.tmp $@

# rollcall-hourly(1), the hourly job's (docs/cron.md), from its --help.
$(MAN_HOURLY): $(BIN) contrib/rollcall-hourly
	@echo "  MAN     $@"
	@LC_ALL=C.UTF-8 help2man --no-info --section=1 --version-string=$(VERSION) \
	  --name='the hourly rollcall merge, for cron or a systemd timer' \
	  --include=docs/rollcall-hourly.h2m --output=$@.tmp contrib/rollcall-hourly
	@mv $@.tmp $@

# The pages render without a warning (groff -ww); rollcall(1) holds every option.
man-check: $(MAN) $(MAN_HOURLY)
	@ROLLCALL=$(BIN) sh tests/man.sh $(MAN) $(MAN_HOURLY)

# The bash completion, driven as bash drives it (tests/completion.bash).
completion-check: $(BIN)
	@ROLLCALL=$(BIN) bash tests/completion.bash

# scripts/install-deps.sh installs all that make deb needs on a fresh machine
# (debian/control's Build-Depends, build-essential, lintian): tests/deps.sh.
deps-check:
	@sh tests/deps.sh

# The binary and the hourly job (docs/cron.md), the manual page, the bash
# completion, and the docs with the cron and systemd files as examples.
install: $(BIN) $(MAN) $(MAN_HOURLY)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
	  $(DESTDIR)$(DOCDIR)/examples/cron.d $(DESTDIR)$(DOCDIR)/examples/default $(DESTDIR)$(DOCDIR)/examples/systemd
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/rollcall
	install -m 0755 contrib/rollcall-hourly $(DESTDIR)$(PREFIX)/bin/rollcall-hourly
	install -m 0644 $(MAN) $(MAN_HOURLY) $(DESTDIR)$(MANDIR)/man1
	install -m 0644 completions/rollcall $(DESTDIR)$(BASHCOMPDIR)/rollcall
	install -m 0644 README.md docs/DESIGN.md docs/cron.md $(DESTDIR)$(DOCDIR)
	install -m 0644 contrib/cron/rollcall $(DESTDIR)$(DOCDIR)/examples/cron.d/rollcall
	install -m 0644 contrib/cron/default $(DESTDIR)$(DOCDIR)/examples/default/rollcall
	install -m 0644 contrib/systemd/rollcall-hourly.service contrib/systemd/rollcall-hourly.timer \
	  $(DESTDIR)$(DOCDIR)/examples/systemd

# The Debian package (debian/, debhelper compat 13), built by
# dpkg-buildpackage in its own tree and moved from .. into $(BUILD)/deb/
# with its .buildinfo and .changes; lintian must find no error.
DEB_DIR := $(BUILD)/deb
deb: deps
	@v=$$(dpkg-parsechangelog -S Version); [ "$$v" = "$(VERSION)" ] || \
	  { echo "make deb: debian/changelog is at $$v, VERSION at $(VERSION): add an entry (dch -v $(VERSION))" >&2; exit 1; }
	DEB_BUILD_OPTIONS="parallel=2 $(DEB_BUILD_OPTIONS)" dpkg-buildpackage -us -uc -b
	@mkdir -p $(DEB_DIR)
	@for f in ../rollcall_$(VERSION)_*.deb ../rollcall-dbgsym_$(VERSION)_*.deb \
	  ../rollcall_$(VERSION)_*.buildinfo ../rollcall_$(VERSION)_*.changes; do \
	  [ -e "$$f" ] && mv -f "$$f" $(DEB_DIR)/; done; true
	lintian --fail-on error $(DEB_DIR)/rollcall_$(VERSION)_*.changes
	@ls $(DEB_DIR)/rollcall_$(VERSION)_*.deb

# Installs the package on this machine (dpkg -i), runs it as a user would
# (--version, man -w, the completion, one merge) and removes it (dpkg -r),
# checking nothing is left; refuses to touch an installed rollcall.
deb-check: deb
	@sh scripts/deb-check.sh $(DEB_DIR)/rollcall_$(VERSION)_$$(dpkg --print-architecture).deb

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(wildcard $(BUILD)/fuzz/lib/*.d)
