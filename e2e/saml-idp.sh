#!/usr/bin/env bash
# Installs what the SAML browser test's identity provider needs: xmlsec1
# (Debian), which pysaml2 signs with, and pysaml2 (PyPI, pinned) in a
# virtual environment under target/. Idempotent; prints the Python to run
# e2e/saml_idp.py with.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v xmlsec1 >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xmlsec1 >&2
fi
VENV="target/saml-venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import saml2' 2>/dev/null; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q "pysaml2==7.5.4" >&2
fi
echo "$PWD/$VENV/bin/python"
