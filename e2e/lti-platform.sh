#!/usr/bin/env bash
# Installs what the LTI browser test's platform needs: lti1p3platform
# (PyPI, pinned; it brings PyJWT, jwcrypto and cryptography) in a virtual
# environment under target/. Idempotent; prints the Python to run
# e2e/lti_platform.py with.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="target/lti-venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import lti1p3platform' 2>/dev/null; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q "lti1p3platform==0.1.8" >&2
fi
echo "$PWD/$VENV/bin/python"
