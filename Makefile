# fascia — thin wrapper over CMake.
#   make            release build (build/)
#   make test       release + ASan/UBSan builds, whole test suite under ctest
#   make run        build and run the main job on the built-in default
#   make bench      build and run the benchmarks
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE ?= cmake

.PHONY: all build asan test test-release test-asan run bench clean deps

all: build

build:
	$(CMAKE) -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFA_WERROR=ON >/dev/null
	$(CMAKE) --build build -j $(JOBS)

asan:
	$(CMAKE) -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DFA_SANITIZE=ON -DFA_WERROR=ON >/dev/null
	$(CMAKE) --build build-asan -j $(JOBS)

test-release: build
	cd build && ctest --output-on-failure -j $(JOBS)

test-asan: asan
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

test: test-release test-asan

run: build
	./build/fascia run

bench: build
	./build/fascia_bench

deps:
	./scripts/install-deps.sh

clean:
	rm -rf build build-asan
