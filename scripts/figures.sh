#!/usr/bin/env bash
# Regenerates the gallery's images (docs/figures/*.png) from the notebooks: runs every notebook
# headlessly (.ci/notebooks, which writes artifacts/notebooks/<notebook>/*.png) and copies the
# figures docs/figures.md shows, then draws the fixed-point figures with `pycog fixedpoints`. The numbers in docs/figures.md are the notebooks' printed
# output of the same run (artifacts/notebooks/executed/*.ipynb); update them if they move.
# Usage: scripts/figures.sh [--no-run]   (--no-run: copy from the last notebook run)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--no-run" ]; then bash .ci/notebooks; fi
src=artifacts/notebooks
dst=docs/figures
mkdir -p "$dst"
# name, notebook figure, and "svg" where the gallery also keeps the SVG (the journal figures).
while read -r name from svg; do
  [ -f "$src/$from" ] || { echo "figures: missing $src/$from (run the notebooks first)"; exit 1; }
  cp "$src/$from" "$dst/$name.png"
  if [ "${svg:-}" = svg ]; then cp "$src/${from%.png}.svg" "$dst/$name.svg"; fi
done <<'LIST'
fig2 01-decision-making/fig2.png svg
fig2-psychometric 01-decision-making/psychometric.png
fig2-chronometric 01-decision-making/chronometric.png
fig3-psychometric 02-connectivity/psychometric.png
fig3-wrec-structured 02-connectivity/wrec-rdm_fixed.png
fig4 03-context-dependent-integration/fig4.png svg
fig5-wrec 04-context-areas/wrec.png
fig6-multisensory 05-multisensory/psychometric.png
fig7 06-working-memory/fig7.png svg
fig7-choices 06-working-memory/choices.png
fig7-unit 06-working-memory/unit-positive.png
fig8-screen 07-sequences/screen.png
fig9-training 08-training-curves/all-choice-tasks.png
fig9-trials-to-criterion 08-training-curves/trials-to-criterion.png
noise-trained 09-explore-noise/psychometric-trained.png
noise-test 09-explore-noise/threshold-vs-test-noise.png
extra-loss 11-torch-extra-loss/inhibitory-rates.png
LIST
# The command line's fixed-point figures, with its defaults (docs/figures.md says what each holds).
pycog() { dotnet run --project PyCog.Cli -c Release -- "$@"; }
pycog fixedpoints data/rdm_fixed-seed100-fused.npz --plot "$dst/fixedpoints-rdm_fixed.png" > /dev/null
pycog fixedpoints data/mante-seed100-fused.npz --condition context=m --plot "$dst/fixedpoints-mante-motion.png" > /dev/null
pycog fixedpoints data/mante-seed100-fused.npz --condition context=c --plot "$dst/fixedpoints-mante-colour.png" > /dev/null
pycog fixedpoints data/romo-seed100-fused.npz --plot "$dst/fixedpoints-romo-delay.png" > /dev/null
du -sh "$dst" | sed 's/^/figures: /'
