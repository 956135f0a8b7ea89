#!/usr/bin/env bash
# Lighthouse mobile scores (performance, accessibility, best practices, SEO) for the
# home, schedule, how-to-vote, report-a-hoax and search pages (the search page with a query,
# whose results arrive after load), with Debian's Chromium. Not part of CI.
#
#   bash bench/lighthouse.sh            # installs lighthouse from npm into bench/out/ once
#
# Reports go to bench/out/lighthouse/*.json; the scores are printed as a table.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/lighthouse
mkdir -p "$out"
lighthouse=${LIGHTHOUSE:-bench/out/node/node_modules/.bin/lighthouse}
if [ ! -x "$lighthouse" ]; then
  npm install --silent --prefix bench/out/node lighthouse@13 >/dev/null
fi
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

./run --out "$out/site" --now 2024-01-10T10:00+07:00 >/dev/null
port=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
.venv/bin/python -m http.server --bind 127.0.0.1 --directory "$out/site" "$port" >/dev/null 2>&1 &
server=$!
trap 'kill "$server"' EXIT
sleep 1

pages=("" jadwal/ cara-mencoblos/ lapor-hoaks/ "cari/?q=golput" "en/cari/?q=invalid+ballot")
for page in "${pages[@]}"; do
  name=$(printf '%s' "${page%/}" | tr -c 'a-z0-9-' '_'); name=${name:-home}
  "$lighthouse" "http://127.0.0.1:$port/$page" --quiet --form-factor=mobile \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
    --output=json --output-path="$out/$name.json" >/dev/null 2>&1 || echo "lighthouse failed for /$page" >&2
done

python3 - "$out" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
names = ("performance", "accessibility", "best-practices", "seo")
print(f"{'page':28}" + "".join(f"{n:>16}" for n in names))
for path in sorted(out.glob("*.json")):
    name = path.stem
    report = json.loads(path.read_text())
    scores = [round(report["categories"][n]["score"] * 100) for n in names]
    print(f"{name:28}" + "".join(f"{s:>16}" for s in scores))
    for audit in report["audits"].values():
        if audit.get("score") is not None and audit["score"] < 0.9 and audit.get("scoreDisplayMode") == "binary":
            print(f"    failing: {audit['id']}: {audit['title']}")
PY
