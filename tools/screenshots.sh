#!/usr/bin/env bash
# Screenshots of the dashboard, a list page and the home page in en / zh_Hans / zh_Hant.
# Needs Debian's chromium (apt-get install -y chromium) and node; playwright-core is installed
# from npm into a cache folder (no browser download: it drives /usr/bin/chromium).
# Usage: tools/screenshots.sh [out_dir]   (default docs/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${1:-$ROOT/docs/screenshots}
PY=${PYTHON:-$ROOT/.venv/bin/python}
[ -x "$PY" ] || PY=/work/main/.venv/bin/python
FLASK="$(dirname "$PY")/flask"
PORT=${PORT:-8765}
NODE_DIR=${NODE_DIR:-$HOME/.cache/desk-screenshots}

mkdir -p "$OUT" "$NODE_DIR"
if [ ! -d "$NODE_DIR/node_modules/playwright-core" ]; then
  (cd "$NODE_DIR" && npm install --silent --no-audit --no-fund playwright-core@1 >/dev/null)
fi

WORK=$(mktemp -d)
export INSTANCE_DIR=$WORK FLASK_APP=app:create_app APP_CONFIG=development
export DATABASE_URL="sqlite:///$WORK/app.db" DEMO_PASSWORD=${DEMO_PASSWORD:-screenshot-$RANDOM-$RANDOM}
"$FLASK" db upgrade >/dev/null 2>&1
"$FLASK" ensure-admin >/dev/null
"$FLASK" seed-demo --reset-passwords >/dev/null
# Demo tickets until the ticket area's seed provides them (bench/data.py, deterministic).
"$PY" - <<'PY'
import sqlalchemy as sa
from app import create_app
from app.extensions import db
from app.models import Ticket
from bench.data import add_tickets
with create_app().app_context():
    if not db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)):
        add_tickets(1500)
PY
"$FLASK" run --host 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
# a loaded machine may need many seconds to import the app: wait up to a minute, then say why
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$PORT/health" >/dev/null || { echo "server did not start:"; cat "$WORK/server.log"; exit 1; }

BASE_URL="http://127.0.0.1:$PORT" OUT_DIR="$OUT" NODE_PATH="$NODE_DIR/node_modules" \
  node --input-type=module -e "$(sed "s#from \"playwright-core\"#from \"$NODE_DIR/node_modules/playwright-core/index.mjs\"#" tools/screenshots.mjs)"
