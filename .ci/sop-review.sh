#!/bin/sh
# The review summary of a pull/merge request: what changed in every SOP it touches, in Markdown.
#
#   sh .ci/sop-review.sh BASE_REVISION [SOPS_DIR] > sop-review.md
#
# For each SOP file changed between BASE_REVISION and HEAD: a new or deleted SOP is named,
# a changed or moved one gets `sop diff --format markdown` (steps added, removed, moved,
# changed, in the editors' language). Exit 0 when the summary was written, 2 when
# `sop diff` could not run. Copy this file with the workflow that calls it; the two
# headings below are the only words of its own (translate them for an English manual).
set -eu
base="$1"
sops="${2:-sops}"

echo "### Perubahan SOP"
echo
changes=$(git diff --name-status -M --diff-filter=AMRD "$base" HEAD -- "$sops" | grep '\.md$' || true)
if [ -z "$changes" ]; then
  echo "Tidak ada berkas SOP yang berubah."
  exit 0
fi
printf '%s\n' "$changes" | while IFS="$(printf '\t')" read -r status first second; do
  case "$(basename "${second:-$first}")" in _*) continue ;; esac  # '_' files are not SOPs
  case "$status" in
    A*) echo "- SOP baru: \`$first\`" ;;
    D*) echo "- SOP dihapus: \`$first\`" ;;
    R*) echo "- SOP dipindahkan: \`$first\` → \`$second\`" ;;
  esac
done
echo
printf '%s\n' "$changes" | while IFS="$(printf '\t')" read -r status first second; do
  case "$status" in M*|R*) ;; *) continue ;; esac
  file="${second:-$first}"
  case "$(basename "$file")" in _*) continue ;; esac
  status=0
  sop diff "$file" --from "$base" --to HEAD --format markdown || status=$?
  [ "$status" -le 1 ] || exit 2  # 0: same, 1: different, 2: could not run
done
