# kgas top-level Makefile: the README's commands.
#   make         build build/kgas
#   make demo    ingest the bundled demo corpus, show top entities, answer a question
#   make test    every test: unit (gcc), unit under ASan+UBSan (clang), integration,
#                formatting, layering, cppcheck, clang-tidy, coverage
#   make format  rewrite the C sources as .clang-format says
#   make bench   benchmarks (not part of make test)
#   make model   train the NER model kgas ships (models/ner.kgm) from
#                ../shared/data/ner-train, then rebuild kgas around it
#   make fuzz    build the libFuzzer harnesses (fuzz/) and run each FUZZ_SECONDS (60)
#   make analysis-models  retrain the tagger and parser of relations (models/, ~10 min)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN_BUILD ?= build-asan
COV_BUILD ?= build-cov

.PHONY: all setup build demo test unit asan integration check-layers check-format format \
        cppcheck clang-tidy coverage bench model fuzz analysis-models clean

all: build

setup:
	@./scripts/setup.sh

$(BUILD)/CMakeCache.txt:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: setup $(BUILD)/CMakeCache.txt
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory >/dev/null || \
	  cmake --build $(BUILD) -j 1

demo: build
	@./scripts/demo.sh $(BUILD)/kgas

unit: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan: setup
	@CC=clang cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DKGAS_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS) -- --no-print-directory >/dev/null || \
	  cmake --build $(ASAN_BUILD) -j 1
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

integration: build
	@./tests/integration/run.sh $(BUILD)/kgas

check-layers:
	@python3 scripts/check_layers.py .
	@python3 scripts/check_functions.py .

check-format: setup
	@./scripts/check_format.sh

format: setup
	@clang-format -i --style=file $$(find src tests/unit fuzz -name '*.[ch]')

cppcheck: setup
	@./scripts/cppcheck.sh

clang-tidy: build
	@./scripts/clang_tidy.sh $(BUILD)

coverage: setup
	@./scripts/coverage.sh $(COV_BUILD)

test: build check-format check-layers unit asan integration cppcheck clang-tidy coverage
	@echo "make test: all checks passed"

bench: build
	@./bench/run.sh $(BUILD)/kgas

NER_DATA ?= ../shared/data/ner-train
model: build
	@./scripts/train_ner_model.sh $(BUILD)/kgas $(NER_DATA) $(BUILD)/ner-data models/ner.kgm
	@cmake -S . -B $(BUILD) >/dev/null && cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory >/dev/null
	@$(BUILD)/kgas eval ner $(NER_DATA)/../ner/wikigold.conll

FUZZ_SECONDS ?= 60
fuzz: setup
	@FUZZ_SECONDS=$(FUZZ_SECONDS) ./scripts/fuzz.sh
analysis-models: build
	@./scripts/train_analysis_models.sh $(BUILD)/kgas
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory >/dev/null

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(COV_BUILD) build-fuzz
