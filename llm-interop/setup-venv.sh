#!/usr/bin/env bash
# Makes llm-interop/target/venv with the pinned servers of requirements.txt, for
# mvn -B verify -Pinterop. Needs Python 3.10+ with venv (Debian: python3-venv). Idempotent: an
# existing venv with the same requirements is kept.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"
VENV=target/venv
"$PYTHON" -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10+ needed, found " + sys.version' \
    || { echo "ERROR: the interop suite needs Python 3.10 or newer ($PYTHON)" >&2; exit 1; }
if [ -f "$VENV/requirements.txt" ] && cmp -s requirements.txt "$VENV/requirements.txt"; then
    echo "interop venv up to date: $VENV"
    exit 0
fi
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV" || { echo "ERROR: could not create a venv (Debian: apt-get install python3-venv)" >&2; exit 1; }
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r requirements.txt \
    || { echo "ERROR: pip could not install requirements.txt" >&2; exit 1; }
"$VENV/bin/rllm-model-gateway" --help >/dev/null || { echo "ERROR: rllm-model-gateway does not run" >&2; exit 1; }
"$VENV/bin/litellm" --help >/dev/null || { echo "ERROR: litellm does not run" >&2; exit 1; }
cp requirements.txt "$VENV/requirements.txt"
echo "interop venv ready: $VENV"
