# cnt — GNU make build. `make`, `make check`, `make install PREFIX=... DESTDIR=...`.

# A sanitized build (`make SANITIZE=address,undefined check-unit`) runs this Makefile again in
# build/san/, a tree of links to the sources: its objects and binaries (build/san/build,
# build/san/bin) never mix with the normal ones, and tests run from there use its binaries.
SAN_OUTER = $(if $(SANITIZE),$(if $(SAN_TREE),,1))
ifeq ($(SAN_OUTER),1)
SAN_DIR = build/san
all:
Makefile: ;
%:: | $(SAN_DIR)
	+$(MAKE) -C $(SAN_DIR) SAN_TREE=1 $@
all: | $(SAN_DIR)
	+$(MAKE) -C $(SAN_DIR) SAN_TREE=1 $@
.PHONY: $(SAN_DIR)
$(SAN_DIR):
	@mkdir -p $@
	@for f in $$(ls -A | grep -vx 'build\|bin\|\.git'); do ln -sfn ../../$$f $@/$$f; done
else
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
LIBEXEC  = $(PREFIX)/libexec/cnt
DATADIR  = $(PREFIX)/share/cnt
MANDIR   = $(PREFIX)/share/man
SYSCONF ?= /etc/cnt
VERSION  = 0.1.0
# Two cores: build with -j2 unless told otherwise.
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j2
endif
UNITDIR ?= /lib/systemd/system
COMPLDIR ?= $(PREFIX)/share/bash-completion/completions
INITDIR ?= /etc/init.d

# One word per tool: tools/<word>.cpp becomes bin/<word>.
TOOLS  = cnt-info
TOOLS += cnt-create cnt-destroy
TOOLS += cnt-start cnt-stop cnt-attach cnt-console
TOOLS += cnt-freeze cnt-unfreeze
TOOLS += cnt-ls cnt-wait cnt-execute cnt-monitor cnt-checkconfig cnt-autostart
TOOLS += cnt-delegate cnt-user-nic
TOOLS += cnt-cgroup cnt-config cnt-update-config cnt-device cnt-top
TOOLS += cnt-unshare cnt-usernsexec
TOOLS += cnt-copy cnt-snapshot
TOOLS += cnt-oci
# The static helper every init execs its command through (tools/cnt-exec.c: x86-64, arm64).
ifneq ($(filter x86_64 aarch64,$(shell uname -m)),)
CNT_EXEC = bin/cnt-exec
endif

CXX      ?= g++
PKGS      = libnl-3.0 libnl-route-3.0 inih libcap libseccomp
CPPFLAGS += -Ilibcore -DCNT_VERSION='"$(VERSION)"' -DCNT_PREFIX='"$(PREFIX)"' -DCNT_SYSCONFDIR='"$(SYSCONF)"'
CPPFLAGS += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CXXFLAGS ?= -O2 -g
CXXFLAGS += -std=c++2b -Wall -Wextra -Werror -MMD -MP
# A sanitized build (see the top): any report fails the test that caused it. (g++ 12 gives
# false maybe-uninitialized warnings in libstdc++'s <regex>, which Catch2 uses, under ASan.)
ifneq ($(SANITIZE),)
CXXFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
CXXFLAGS += -Wno-maybe-uninitialized
LDFLAGS  += -fsanitize=$(SANITIZE)
STATIC    = 0
endif
# One section per function, so tools/hot-text.ld can place each one.
CXXFLAGS += -ffunction-sections
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lboost_program_options -lboost_filesystem
# The tools are linked statically (STATIC=0: dynamically). cnt-start --version costs 7.7 ms
# dynamic and 2.8 ms static on the bench machine (= /bin/true): the dynamic loader's symbol
# lookups for libstdc++, boost and libnl were 83 % of the instructions of a short command, and
# every container start pays them. No code here needs NSS (no getpw*, getaddrinfo); libnl's
# references to them only draw a linker warning.
STATIC ?= 1
ifeq ($(STATIC),1)
TOOL_LDFLAGS = -static
TOOL_LDLIBS  = $(shell pkg-config --libs --static $(PKGS) 2>/dev/null) -lboost_program_options -lboost_filesystem
else
TOOL_LDLIBS  = $(LDLIBS)
endif

LIB_SRC   = $(shell find -H libcore -name '*.cpp' | sort)
LIB_OBJ   = $(LIB_SRC:%.cpp=build/%.o)
CLI_OBJ   = build/tools/cli.o
UNIT_SRC  = $(sort $(wildcard tests/unit/*.cpp))
UNIT_OBJ  = $(UNIT_SRC:%.cpp=build/%.o)
BINS      = $(TOOLS:%=bin/%)

.PHONY: all deps check check-unit check-unit-root check-integration check-slow check-faults install demo format format-check lint clean bench bench-scale bench-peers hot-text
all: $(BINS) bin/cnt-init $(CNT_EXEC)

build/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c -o $@ $<

# The archive also depends on the list of its objects, so a deleted source leaves it too.
LIB_LIST = build/libcore.objs
$(shell mkdir -p build; echo '$(LIB_OBJ)' | cmp -s - $(LIB_LIST) 2>/dev/null || echo '$(LIB_OBJ)' > $(LIB_LIST))

build/libcore.a: $(LIB_OBJ) $(LIB_LIST)
	@rm -f $@
	ar rcs $@ $(LIB_OBJ)

# The code the start, stop and freeze paths run is packed at the head of .text (bench/hot-text.ld,
# made by bench/hot-text.sh from callgrind runs and the link maps): see bench/README.md.
HOT_LD = bench/hot-text.ld
# Kept after linking (they are intermediate files of this pattern chain): a rebuild relinks only.
.SECONDARY: $(TOOLS:%=build/tools/%.o) $(CLI_OBJ)
bin/%: build/tools/%.o $(CLI_OBJ) build/libcore.a $(HOT_LD)
	@mkdir -p bin build/map
	@rm -f $@
	$(CXX) $(LDFLAGS) $(TOOL_LDFLAGS) -Wl,-T,$(HOT_LD) -Wl,-Map=build/map/$*.map -o $@ $(filter-out $(HOT_LD),$^) $(TOOL_LDLIBS) 2>&1 | { grep -v "statically linked applications requires at runtime\|in function .nl_\|in function .__nl_" >&2 || true; }; test -x $@

# cnt-exec: what every init execs its command through (a sealed copy, CVE-2019-5736), with no C
# library so the copy made at each start is a few KB. x86-64 and arm64; elsewhere cnt-init
# --exec does the same.
bin/cnt-exec: tools/cnt-exec.c
	@mkdir -p bin
	$(CC) -static -nostdlib -ffreestanding -fno-stack-protector -fno-pie -no-pie -O2 \
	  -fno-tree-loop-distribute-patterns -fno-asynchronous-unwind-tables -Wall -Wextra -Werror \
	  -Wl,--build-id=none -Wl,-z,noexecstack -o $@ $<

# The init of cnt-execute containers: static, so it runs in any rootfs (from a sealed memfd copy).
CC ?= cc
bin/cnt-init: tools/cnt-init.c
	@mkdir -p bin
	$(CC) -static -O2 -Wall -Wextra -Werror -DCNT_VERSION='"$(VERSION)"' -o $@ $<

# cnt.conf(5): its key list is generated from the key registry.
all: build/man/cnt.conf.5
build/man/cnt.conf.5: bin/cnt-info
	@mkdir -p build/man
	bin/cnt-info --registry-man > $@.tmp && mv $@.tmp $@

bin/unit-tests: $(UNIT_OBJ) build/libcore.a
	@mkdir -p bin
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Debian packages the build, tests and demo need; only the missing ones are installed.
DEB_PKGS = g++ make pkg-config libboost-program-options-dev libboost-filesystem-dev \
           libinih-dev libnl-3-dev libnl-route-3-dev libcap-dev libseccomp-dev catch2 \
           busybox-static iproute2 groff-base lxc python3 strace uidmap clang-format \
           cppcheck btrfs-progs e2fsprogs \
           nlohmann-json3-dev podman conmon containerd
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps: need root to install: $$missing" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

check: deps
	$(MAKE) all bin/unit-tests
	$(MAKE) check-unit
	$(MAKE) check-fuzz-corpus
	@if [ "$$(id -u)" = 0 ]; then $(MAKE) check-unit-root; \
	elif [ "$${CNT_REQUIRE_ROOT:-0}" = 1 ]; then echo "privileged unit tests need root" >&2; exit 1; \
	else echo "skip: privileged unit tests ([root]) need root"; fi
	$(MAKE) check-integration

check-unit: bin/unit-tests
	bin/unit-tests '~[root]'

# Privileged unit tests (real cgroups, namespaces, capabilities, seccomp): root only.
check-unit-root: bin/unit-tests
	bin/unit-tests '[root]'

check-integration: all bin/cnt-bench bin/cnt-kfloor
	tests/integration/run

check-slow: all
	CNT_SLOW=1 tests/integration/run

# The fault-injection tier (tests/faults/README.md): every system call of start, stop, attach,
# freeze, create and destroy fails once, in turn. Long; `make check` runs a sample of it.
check-faults: all
	tests/faults/run

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(SYSCONF) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)/
	# cnt-user-nic is setuid root (cnt-user-nic(1)): installed by root, on a file system
	# mounted without nosuid, it gives normal users veths on the bridges of cnt-usernet.
	install -m 4755 bin/cnt-user-nic $(DESTDIR)$(BINDIR)/
	[ -e $(DESTDIR)$(SYSCONF)/cnt-usernet ] || install -m 644 config/cnt-usernet $(DESTDIR)$(SYSCONF)/cnt-usernet
	for t in templates/cnt-*; do [ -f "$$t" ] && install -m 755 "$$t" $(DESTDIR)$(DATADIR)/templates/; done; true
	[ -e $(DESTDIR)$(SYSCONF)/cnt.conf ] || install -m 644 config/cnt.conf $(DESTDIR)$(SYSCONF)/cnt.conf
	install -d $(DESTDIR)$(DATADIR)/config
	install -m 644 config/common.conf config/common.seccomp $(DESTDIR)$(DATADIR)/config/
	# default.conf includes common.conf from where it is installed.
	[ -e $(DESTDIR)$(SYSCONF)/default.conf ] || sed 's|^lxc.include = common.conf$$|lxc.include = $(DATADIR)/config/common.conf|' config/default.conf > $(DESTDIR)$(SYSCONF)/default.conf
	for m in man/*.1; do [ -f "$$m" ] && install -m 644 "$$m" $(DESTDIR)$(MANDIR)/man1/; done; true
	for m in man/*.5 build/man/*.5; do [ -f "$$m" ] && install -m 644 "$$m" $(DESTDIR)$(MANDIR)/man5/; done; true
	for m in man/*.7; do [ -f "$$m" ] && install -m 644 "$$m" $(DESTDIR)$(MANDIR)/man7/; done; true
	install -d $(DESTDIR)$(LIBEXEC) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(COMPLDIR) $(DESTDIR)$(INITDIR)
	install -m 755 bin/cnt-init $(CNT_EXEC) $(DESTDIR)$(LIBEXEC)/
	sed 's|@BINDIR@|$(BINDIR)|g' config/cnt.service > $(DESTDIR)$(UNITDIR)/cnt.service
	sed 's|@BINDIR@|$(BINDIR)|g' config/cnt@.service > $(DESTDIR)$(UNITDIR)/cnt@.service
	sed 's|@BINDIR@|$(BINDIR)|g' config/cnt.init > $(DESTDIR)$(INITDIR)/cnt && chmod 755 $(DESTDIR)$(INITDIR)/cnt
	install -m 644 config/bash-completion/cnt $(DESTDIR)$(COMPLDIR)/cnt
	for t in $(TOOLS); do ln -sf cnt $(DESTDIR)$(COMPLDIR)/$$t; done

demo: deps
	$(MAKE) all
	tests/demo.sh

# Every C and C++ source the project tracks (the fuzz corpus is data, not code).
FORMAT_SRCS = $(shell git ls-files '*.cpp' '*.hpp' '*.h' '*.c' 2>/dev/null | grep -v /corpus/)
format:
	clang-format -i $(FORMAT_SRCS)

# CI fails on a file clang-format would change.
format-check:
	@clang-format --dry-run -Werror $(FORMAT_SRCS) && echo "format-check: $(words $(FORMAT_SRCS)) files formatted"

# Static checks (cppcheck, Debian's): its warning, portability and performance classes pass on
# libcore/ and tools/; each known false positive is listed, with why, in .cppcheck-suppressions.
# No include cycle between libcore's folders (.ci/include-cycles.sh).
lint:
	cppcheck --std=c++20 --enable=warning,portability,performance --inline-suppr \
	    --error-exitcode=1 -Ilibcore -Itools --suppressions-list=.cppcheck-suppressions \
	    -j2 -q libcore tools && echo "lint: cppcheck clean"
	.ci/include-cycles.sh

clean:
	rm -rf build bin

# Benchmarks (issue #7): bin/cnt-bench is the timing harness, not an installed tool.
bin/cnt-bench: build/bench/harness.o
	@mkdir -p bin
	$(CXX) $(LDFLAGS) -o $@ $^

# The kernel's part of a start, alone (bench/kfloor.c): static C like cnt-init.
bin/cnt-kfloor: bench/kfloor.c
	@mkdir -p bin
	$(CC) -static -O2 -Wall -Wextra -Werror -Wno-format-truncation -o $@ $<

bench: all bin/cnt-bench bin/cnt-kfloor
	bench/run.sh

# 500 containers running at once: start time per container, listing, memory, parallel stop.
bench-scale: all bin/cnt-bench
	@mkdir -p bench/results
	SCALE_RESULT=bench/results/scale-$$(date +%Y%m%d-%H%M%S).txt bench/scale.sh

# Regenerate bench/hot-text.ld from callgrind runs of the current build (root, valgrind).
hot-text: all
	bench/hot-text.sh
	$(MAKE) all

# crun and runc from Debian, for the side-by-side cases (only the missing ones are installed).
bench-peers:
	@missing=$$(for p in crun runc; do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  if [ "$$(id -u)" != 0 ]; then echo "make bench-peers: need root to install: $$missing" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# ---- fuzzing (tests/fuzz/README.md) --------------------------------------------------------
# `make fuzz`: one libFuzzer binary per target, bin/fuzz-<target>, built with clang under
# ASan+UBSan into build/fuzz/. `make check-fuzz-corpus` (part of check) replays the committed
# corpus through the same targets built with g++, no clang needed.
FUZZ_TARGETS = config seccomp runstate sysconf netlink usernic
FUZZ_CXX    ?= clang++-14
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_FLAGS   = -std=c++2b -O1 -g -Wall -Wextra -Werror -MMD -MP $(FUZZ_SAN) -fsanitize=fuzzer-no-link
# The parts of libcore the targets reach (what the linker takes from the archive).
FUZZ_LIB_SRC = $(filter libcore/base/% libcore/cgroup/% libcore/config/% libcore/net/% \
                        libcore/security/% libcore/store/% libcore/sysconf/% \
                        libcore/container/run_state_file.cpp,$(LIB_SRC))
FUZZ_LIB_OBJ = $(FUZZ_LIB_SRC:%.cpp=build/fuzz/%.o)
# clang 14 has no P0848 (conditionally trivial special members), so libstdc++ 12 hides
# <expected> from it: build/fuzz/include/expected is the same header with those members made
# unconditional (never trivial), for the fuzz build only.
FUZZ_EXPECTED = $(shell printf '\043include <expected>\n' | $(FUZZ_CXX) -std=c++2b -x c++ -M - 2>/dev/null | tr ' ' '\n' | grep '/expected$$')
.PHONY: fuzz check-fuzz-corpus
fuzz: $(FUZZ_TARGETS:%=bin/fuzz-%)

build/fuzz/include/expected:
	@mkdir -p $(dir $@)
	@test -n "$(FUZZ_EXPECTED)" || { echo "make fuzz: $(FUZZ_CXX) and libstdc++'s <expected> needed" >&2; exit 1; }
	sed -E -e 's/__cpp_concepts >= 202002L/__cpp_concepts >= 201907L/' \
	  -e '/^\s*(constexpr )?(~expected\(\)|expected\((const expected&|expected&&)\)) = default;$$/d' \
	  -e '/^\s*(&&|\|\|) \(?!is_trivially_(copy|move)_constructible_v<_(Tp|Er)>\)?$$/d' \
	  -e '/^\s*(requires |\|\| )\(!is_trivially_destructible_v<_(Tp|Er)>\)$$/d' \
	  -e 's/^(\s*constexpr ~expected\(\)) requires \(!is_trivially_destructible_v<_Er>\)$$/\1/' \
	  $(FUZZ_EXPECTED) > $@.tmp && mv $@.tmp $@

build/fuzz/%.o: %.cpp build/fuzz/include/expected
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) -Ibuild/fuzz/include $(CPPFLAGS) $(FUZZ_FLAGS) -c -o $@ $<

build/fuzz/libcore.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

bin/fuzz-%: build/fuzz/tests/fuzz/%.o build/fuzz/libcore.a
	@mkdir -p bin
	$(FUZZ_CXX) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

# The replay driver: each target with tests/fuzz/replay.cpp's main(), g++, the normal libcore.
.SECONDARY: $(FUZZ_TARGETS:%=build/tests/fuzz/%.o) build/tests/fuzz/replay.o
build/replay/%: build/tests/fuzz/%.o build/tests/fuzz/replay.o build/libcore.a
	@mkdir -p build/replay
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The integration suite with ASan+UBSan tools (dynamic, build/san/bin): not part of check.
.PHONY: check-integration-asan
check-integration-asan:
	$(MAKE) SANITIZE=address,undefined check-integration

check-fuzz-corpus: $(FUZZ_TARGETS:%=build/replay/%)
	@for t in $(FUZZ_TARGETS); do \
	  LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp build/replay/$$t tests/fuzz/corpus/$$t || exit 1; done

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_TARGETS:%=build/fuzz/tests/fuzz/%.d) $(FUZZ_TARGETS:%=build/tests/fuzz/%.d) build/tests/fuzz/replay.d
-include build/bench/harness.d
-include $(LIB_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(BINS:bin/%=build/tools/%.d) build/tools/cli.d

endif  # SAN_OUTER
