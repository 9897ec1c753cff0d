#!/bin/sh
# Render the first pages of a PDF to PNG for a visual review (needs poppler-utils).
#   tools/render_pdf_pages.sh PDF OUTDIR [PAGES] [DPI]
# writes OUTDIR/NAME-1.png, NAME-2.png, ... (PAGES defaults to 8, DPI to 60).
set -eu
if [ $# -lt 2 ]; then
    echo "usage: $0 PDF OUTDIR [PAGES] [DPI]" >&2
    exit 2
fi
pdf=$1
out=$2
pages=${3:-8}
dpi=${4:-60}
command -v pdftoppm >/dev/null 2>&1 || { echo "$0: pdftoppm not found (apt-get install poppler-utils)" >&2; exit 1; }
mkdir -p "$out"
name=$(basename "$pdf" .pdf)
pdftoppm -r "$dpi" -png -f 1 -l "$pages" "$pdf" "$out/$name"
ls "$out/$name"-*.png
