"""``python -m sphinx_faq_ext.importer SOURCE... OUTDIR`` (same as ``sphinx-faq-ext import``)."""

from __future__ import annotations

import sys

from sphinx_faq_ext.importer.cli import main

if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(args if args[:1] in (["import"], ["check"]) else ["import", *args]))
