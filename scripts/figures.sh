#!/usr/bin/env bash
# Regenerates the gallery's images (docs/figures/*.png) from the notebooks: runs every notebook
# headlessly (.ci/notebooks, which writes artifacts/notebooks/<notebook>/*.png) and copies the
# figures docs/figures.md shows. The numbers in docs/figures.md are the notebooks' printed
# output of the same run (artifacts/notebooks/executed/*.ipynb); update them if they move.
# Usage: scripts/figures.sh [--no-run]   (--no-run: copy from the last notebook run)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--no-run" ]; then bash .ci/notebooks; fi
src=artifacts/notebooks
dst=docs/figures
mkdir -p "$dst"
while read -r name from; do
  [ -f "$src/$from" ] || { echo "figures: missing $src/$from (run the notebooks first)"; exit 1; }
  cp "$src/$from" "$dst/$name.png"
done <<'LIST'
fig2-psychometric 01-decision-making/psychometric.png
fig2-chronometric 01-decision-making/chronometric.png
fig2-unit 01-decision-making/unit-0.png
fig3-psychometric 02-connectivity/psychometric.png
fig3-wrec-structured 02-connectivity/wrec-rdm_fixed.png
fig4-psychometric-motion-context 03-context-dependent-integration/psychometric-motion-context.png
fig4-state-space 03-context-dependent-integration/state-space-colour-context-by-colour.png
fig5-wrec 04-context-areas/wrec.png
fig6-multisensory 05-multisensory/psychometric.png
fig7-choices 06-working-memory/choices.png
fig7-unit 06-working-memory/unit-positive.png
fig7-delay-fixed-points 06-working-memory/delay-fixed-points.png
fig8-screen 07-sequences/screen.png
fig9-training 08-training-curves/all-choice-tasks.png
fig9-trials-to-criterion 08-training-curves/trials-to-criterion.png
noise-trained 09-explore-noise/psychometric-trained.png
noise-test 09-explore-noise/threshold-vs-test-noise.png
extra-loss 11-torch-extra-loss/inhibitory-rates.png
LIST
du -sh "$dst" | sed 's/^/figures: /'
