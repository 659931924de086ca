#!/usr/bin/env bash
# The main job on the example page: build saring, clean the page, label its language and run the
# quality filters with FineWeb-2's Indonesian thresholds (measured values in metadata), print the
# record and the per-line verdicts of every stage. Uses ../shared/examples/000_47c8d720653f142a.txt when present, otherwise the bundled sample
# page examples/sample-id.txt (written for this project).
set -euo pipefail
cd "$(dirname "$0")/.."
page=../shared/examples/000_47c8d720653f142a.txt
[ -f "$page" ] || { echo "($page not found: using the bundled sample page)" >&2; page=examples/sample-id.txt; }
cargo build --release --locked -q
./target/release/saring clean "$page" --lang --spam --quality --signals -o - | python3 -m json.tool --no-ensure-ascii
./target/release/saring explain "$page" --lang --spam --quality
