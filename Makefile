# SPDX-License-Identifier: GPL-2.0
#
# Top-level build of nfgate: drives kmod/ (kbuild), user/ (CMake into
# build/) and selftests/, installs Debian packages, and runs things in the
# QEMU test VM (scripts/vm-run).  `make help` lists the targets.
#
# The kernel version comes from scripts/kernel-version only (never uname -r:
# the build machine's own kernel is not the one nfgate runs on).

SHELL := /bin/bash
REPO := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
BUILD := $(REPO)/build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_BUILD_TYPE ?= RelWithDebInfo
# Tests to run with `make selftests-run T="hooks policy"` (default: all).
T ?=
# The real-client selftests of `make check-clients`.
CLIENT_TESTS := ufw docker_real
# Extra options for scripts/vm-run, e.g. VM_OPTS="-v --keep-log".
VM_OPTS ?=
# `make install`: staging directory (empty: the live system) and prefix.
DESTDIR ?=
PREFIX ?= /usr/local

CHECKPATCH := $(BUILD)/linux-source/scripts/checkpatch.pl
CHECKPATCH_FILES = $(filter-out %.mod.c,$(patsubst $(REPO)/%,%,$(wildcard $(REPO)/kmod/*.[ch] $(REPO)/kmod/ext/*.[ch]))) \
		   include/uapi/linux/nfgate.h

.PHONY: all help deps linux-source kmod user selftests unit checkpatch \
	selftests-run check check-clients run bench install uninstall vm-shell clean \
	debug-kernel debug-check deb man check-packages fuzz

all: kmod user selftests

help:
	@echo 'make            build kmod/nfgate.ko, build/nfgate, unit tests, selftest helpers'
	@echo 'make deps       install missing Debian packages (scripts/packages.txt)'
	@echo 'make run        deps + build, then the demo in the VM (scripts/demo.sh)'
	@echo 'make check      deps + build + checkpatch + unit tests + man pages + selftests in the VM'
	@echo 'make check-clients  deps + build, then ufw and dockerd on nfgate in the VM'
	@echo 'make deb        Debian packages nfgate, nfgate-dkms into build/deb/ (+ lintian)'
	@echo 'make check-packages  deps + deb, then install/DKMS/modprobe/restore/purge in the VM'
	@echo 'make man        manual pages (Documentation/man/*.rst) into build/man/'
	@echo 'make unit       unit tests only (ctest)'
	@echo 'make selftests-run [T="hooks ..."]   selftests in one VM boot'
	@echo 'make checkpatch checkpatch.pl on the kernel module and uapi header'
	@echo 'make bench      scale benchmark in the VM (bench/results/latest.md)'
	@echo 'make fuzz       the long runs (hours): netlink fuzzer, differential test and churn in the'
	@echo '                VM (FUZZ_COUNT, FUZZ_SEED, FUZZ_DIFF_ARGS), libFuzzer on the parsers'
	@echo '                (FUZZ_USER_SECONDS per target); make check runs short slices'
	@echo 'make vm-shell   interactive shell in the VM (repo at the same path)'
	@echo 'make debug-kernel  build the KASAN/lockdep/kmemleak/UBSAN VM kernel (once; 11 min idle, >1 h busy)'
	@echo 'make debug-check [T="..."]  selftests + kmemleak scan on that kernel (not in make check)'
	@echo 'make install    module to /lib/modules/<v>/extra (+depmod), CLI to $(PREFIX)/sbin'
	@echo 'make clean      remove every build product'

deps:
	$(REPO)/scripts/deps.sh

linux-source:
	$(REPO)/scripts/linux-source

kmod:
	kver=$$($(REPO)/scripts/kernel-version) && \
		$(MAKE) -C $(REPO)/kmod KDIR=/lib/modules/$$kver/build

user:
	@if [ ! -f $(BUILD)/CMakeCache.txt ]; then \
		echo "cmake -S user -B build"; \
		cmake -S $(REPO)/user -B $(BUILD) -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE); \
	fi
	cmake --build $(BUILD) -j $(JOBS)

# Helpers need the kselftest headers, which linux-source extracts.
selftests: linux-source
	@if [ -f $(REPO)/selftests/Makefile ]; then \
		$(MAKE) -C $(REPO)/selftests; \
	else \
		echo "selftests/Makefile missing: no selftest helpers to build"; \
	fi

unit: user
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

checkpatch: linux-source
	cd $(REPO) && $(CHECKPATCH) --no-tree -f -q $(CHECKPATCH_FILES)

# All selftests run in ONE VM boot: TCG is slow, boots are not free.
selftests-run: kmod user selftests
	cd $(REPO) && scripts/vm-run $(VM_OPTS) -- selftests/run_tests.sh $(T)

# Every stage runs even when an earlier one fails, so that one CI run shows
# all failures; the exit status is non-zero if any failed.
check: deps
	$(MAKE) -C $(REPO) all
	@cd $(REPO); rc=0; \
	echo "== checkpatch"; $(MAKE) --no-print-directory checkpatch || rc=1; \
	echo "== unit tests"; ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) || rc=1; \
	echo "== manual pages"; scripts/check-man $(BUILD) $(BUILD)/nfgate || rc=1; \
	echo "== selftests (VM)"; scripts/vm-run --timeout 3600 $(VM_OPTS) -- selftests/run_tests.sh || rc=1; \
	if [ $$rc -ne 0 ]; then echo "make check: FAILED"; else echo "make check: passed"; fi; \
	exit $$rc

# Real clients (ufw, dockerd), unmodified, on the drop-in in the VM
# (selftests/README.md, Documentation/testing.rst): slow under TCG, so not
# part of `make check`.
check-clients: deps
	$(MAKE) -C $(REPO) all
	cd $(REPO) && NFGATE_SELFTEST_TIMEOUT=$${NFGATE_SELFTEST_TIMEOUT:-1500} \
		scripts/vm-run --timeout 3600 $(VM_OPTS) -- \
		selftests/run_tests.sh $(CLIENT_TESTS)

# Debian packages (Documentation/packaging.rst): dpkg-buildpackage on a
# copy of the tree in build/deb/, then lintian.
deb:
	cd $(REPO) && JOBS=$(JOBS) scripts/make-deb $(BUILD)/deb

man:
	$(REPO)/scripts/man-pages $(BUILD)/man

# The packages installed, DKMS-built, loaded, restored from and purged in
# the VM, in an overlay over its (read-only) root: slow (DKMS compiles the
# module under TCG), so not part of `make check`.
check-packages: deps
	$(MAKE) -C $(REPO) deb
	cd $(REPO) && scripts/vm-run --timeout 5400 --mem 3G $(VM_OPTS) -- \
		scripts/check-packages $(BUILD)/deb

run: deps
	$(MAKE) -C $(REPO) all
	cd $(REPO) && scripts/vm-run $(VM_OPTS) -- scripts/demo.sh

# The scale benchmark (bench/README.md): one VM run, every tool side by
# side; writes bench/results/latest.{md,png}.  Never fails on a number.
bench: deps
	$(MAKE) -C $(REPO) all
	$(MAKE) -C $(REPO)/bench run

# Long fuzzing runs (Documentation/testing.rst, "Fuzzing the netlink
# interface" and "Fuzzing the userspace parsers"); `make check` runs only
# short seeded slices of the VM ones.  One stage per part, each its own
# script; every stage runs even when an earlier one fails.
#   FUZZ_COUNT, FUZZ_SEED (empty: a fresh one), FUZZ_SECONDS (0: no bound):
#     the netlink fuzzer's messages, seed and time bound;
#   FUZZ_USER_SECONDS: each libFuzzer target's time;
#   FUZZ_DIFF_ARGS: scripts/fuzz-diff's [SEED [RULESETS [PROBES]]].
FUZZ_COUNT ?= 1000000
FUZZ_SEED ?=
FUZZ_SECONDS ?= 0
FUZZ_USER_SECONDS ?= 60
FUZZ_DIFF_ARGS ?=
fuzz: kmod user selftests
	@cd $(REPO); rc=0; \
	echo "== netlink fuzzer (VM)"; \
	scripts/fuzz-genl $(FUZZ_COUNT) "$(FUZZ_SEED)" $(FUZZ_SECONDS) || rc=1; \
	echo "== differential test against iptables-legacy (VM)"; \
	scripts/fuzz-diff $(FUZZ_DIFF_ARGS) || rc=1; \
	echo "== churn: namespaces, reloads, writers, a TCP stream (VM)"; \
	VM_OPTS="$(VM_OPTS)" scripts/fuzz-churn || rc=1; \
	echo "== userspace parsers (libFuzzer)"; \
	scripts/fuzz-user $(FUZZ_USER_SECONDS) || rc=1; \
	if [ $$rc -ne 0 ]; then echo "make fuzz: FAILED"; else echo "make fuzz: passed"; fi; \
	exit $$rc

vm-shell: all
	cd $(REPO) && scripts/vm-run --timeout 0 $(VM_OPTS) -i

# The debug kernel (scripts/debug-kernel, into build/debug-kernel/) and the
# selftests on it with a module built against it (scripts/debug-check; the
# Debian kmod/nfgate.ko is not touched).  Slow: not part of `make check`.
debug-kernel:
	$(REPO)/scripts/debug-kernel

debug-check: user selftests
	cd $(REPO) && VM_OPTS="$(VM_OPTS)" scripts/debug-check $(T)

# Installs; never loads.
install: kmod user
	kver=$$($(REPO)/scripts/kernel-version) && \
	install -D -m 0644 $(REPO)/kmod/nfgate.ko \
		$(DESTDIR)/lib/modules/$$kver/extra/nfgate.ko && \
	if [ -n "$(DESTDIR)" ]; then depmod -b $(DESTDIR) $$kver; else depmod $$kver; fi
	install -D -m 0755 $(BUILD)/nfgate $(DESTDIR)$(PREFIX)/sbin/nfgate
	for n in iptables-nfgate iptables-nfgate-save iptables-nfgate-restore; do \
		ln -sf nfgate $(DESTDIR)$(PREFIX)/sbin/$$n; done

uninstall:
	kver=$$($(REPO)/scripts/kernel-version) && \
	rm -f $(DESTDIR)/lib/modules/$$kver/extra/nfgate.ko && \
	if [ -n "$(DESTDIR)" ]; then depmod -b $(DESTDIR) $$kver; else depmod $$kver; fi
	rm -f $(DESTDIR)$(PREFIX)/sbin/nfgate $(DESTDIR)$(PREFIX)/sbin/iptables-nfgate \
		$(DESTDIR)$(PREFIX)/sbin/iptables-nfgate-save \
		$(DESTDIR)$(PREFIX)/sbin/iptables-nfgate-restore

clean:
	-kver=$$($(REPO)/scripts/kernel-version 2>/dev/null) && \
		$(MAKE) -C $(REPO)/kmod KDIR=/lib/modules/$$kver/build clean
	-[ -f $(REPO)/selftests/Makefile ] && $(MAKE) -C $(REPO)/selftests clean
	rm -rf $(BUILD)
