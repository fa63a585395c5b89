# Sourced by scripts/demo and scripts/test: make .venv and keep it in step with pyproject.toml.
# Re-runs are fast: the install step runs only when pyproject.toml (or the extra asked for) changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "error: Python 3.11 or newer is needed (none found on PATH)" >&2
  return 1
}

bootstrap() {
  local extra="${1:-}"
  local spec="."
  [ -n "$extra" ] && spec=".[$extra]"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "==> creating virtual environment in .venv" >&2
    "$(find_python)" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
  fi
  local want have=""
  want="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)-$extra"
  [ -f "$VENV/.aggregator-stamp" ] && have="$(cat "$VENV/.aggregator-stamp")"
  # a "dev" install also satisfies a plain one
  if [ "$have" != "$want" ] && ! { [ -z "$extra" ] && [ "$have" = "${want}dev" ]; }; then
    echo "==> installing aggregator${extra:+[$extra]} into .venv" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT/$spec" >&2
    echo "$want" > "$VENV/.aggregator-stamp"
  fi
  export PATH="$VENV/bin:$PATH"
}
