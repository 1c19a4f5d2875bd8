#!/usr/bin/env bash
# Installs what campaign-kit needs on a fresh Debian machine: system libraries
# for WeasyPrint, open fonts, poppler and LibreOffice (used by the tests to open
# DOCX/PPTX), then a virtual environment in .venv with the package and its web extra in it.
# Usage: scripts/setup.sh [--dev]     (--dev adds the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1
  fonts-dejavu-core fonts-liberation2 fonts-crosextra-carlito fonts-noto-color-emoji
  poppler-utils
)
AXE_CORE_VERSION=4.14.1  # the accessibility checker the browser tests inject into pages
if [ "${1:-}" = "--dev" ]; then
  # LibreOffice opens DOCX/PPTX in the tests; Chromium and its driver run the web app's
  # browser tests (headless); redis-server is the shared store the tests of several copies
  # start on loopback (never as a service); npm fetches axe-core once, here, never at test time.
  APT_PACKAGES+=(libreoffice-writer-nogui libreoffice-impress-nogui chromium chromium-driver
                 redis-server)
  command -v npm >/dev/null || APT_PACKAGES+=(npm)
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# constraints.txt pins every dependency (and theirs) to the versions the tests passed with.
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install -q -c constraints.txt -e '.[web,test]'
  AXE=.tools/node_modules/axe-core
  if ! grep -qs "\"version\": \"$AXE_CORE_VERSION\"" "$AXE/package.json"; then
    npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error "axe-core@$AXE_CORE_VERSION"
  fi
else
  .venv/bin/python -m pip install -q -c constraints.txt -e '.[web]'
fi
