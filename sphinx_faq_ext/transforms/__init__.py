"""Every transform of the pipeline, in the order it runs.

Read-time transforms (:data:`READ_TIME`) run on each document as it is read;
their results are pickled with the doctree, so they must not depend on the
builder.  Post-transforms (:data:`WRITE_TIME`) run on a copy of the doctree
for one builder, when every document is known.  docutils orders transforms
by priority (ties by class name); the lists below are that order, and
``tests/test_layers.py`` checks they stay sorted and complete.

Read time (priority, transform, why there):

==== ================================== ================================================
21   QuestionTitleTransform             right after Sphinx's i18n Locale (20) put back
                                        a translated title: give it its number again
30   QuoteMarkerTransform               after Locale (20), which would drop a marker in a
                                        translated paragraph; before notes are formatted
390  CiteFormattingTransform            ``faq:cite`` texts, before numbering moves them
400  NoteNumberingTransform             numbers notes per question, builds notes lists
410  CiteRegistrationTransform          needs the marker ids numbering gave
420  WorksCollector                     needs the formatted and registered citations
425  DoctreeHousekeepingTransform       after the last subtree we place, before
                                        SmartQuotes (750), in one walk: a header-only
                                        Markdown table gets the ``tbody`` the DTD
                                        requires (Sphinx's LaTeX builder stops
                                        without one), and every element knows its
                                        document without climbing to the root
760  QuestionTitleTypographyTransform   after SphinxSmartQuotes (750) in titles
==== ================================== ================================================

Then, on ``doctree-read`` (priority 600, after Sphinx's title collectors),
:func:`~.notes.strip_title_notes` removes note markers from the toc titles.

Write time (priority, post-transform, builders, why there).  A builder's
own post-transforms live in its home and are registered there, as Sphinx
keeps its own in ``sphinx/builders/latex/transforms.py``: ``latex`` ones in
:mod:`sphinx_faq_ext.builders.latex.transforms`, ``epub`` ones in
:mod:`sphinx_faq_ext.builders.epub.transforms` (each home's
``POST_TRANSFORMS``); :data:`WRITE_TIME` holds the others.  All are listed
here, so that the whole order reads in one place:

==== ================================== ========= ====================================
4    DuplicateAnchorPostTransform       all       before the notes style pairs
                                                  markers with notes
5    NotesStylePostTransform            all       endnotes/footnotes/inline per builder
6    AnswerToctreesPostTransform        latex     a toctree ending a heading's text in a
                                                  question lists under the question:
                                                  before ContentsDepth reads the levels
6    QuestionIndexPostTransform         all       ``faq:index`` tables, once every
                                                  question is known
6    SourcesPostTransform               all       ``faq:sources`` tables, likewise
7    ContentsDepthPostTransform         latex     marks the deepest question in LaTeX's
                                                  merged tree (any time after merging)
7    PrintedPartsPostTransform          latex     the root's captioned toctrees as
                                                  parts of LaTeX's merged tree
7    PrintedTablesPostTransform         latex     page numbers after the tables exist
8    PrintedTitlesPostTransform         latex     after the notes style made bracketed
                                                  notes: out of titles LaTeX cannot break
150  EpubDesignTransform                epub      after references resolve (10), before
                                                  sphinx-design's own (199, 200)
800  LineBreaksPostTransform            latex     after Sphinx's LaTeX post-transforms
                                                  (shown URLs 400, footnotes 600): break
                                                  points in every text printed
900  DeepSectionsPostTransform          text      last: counts the final section depth
==== ================================== ========= ====================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_faq_ext.transforms.cite import CiteFormattingTransform, CiteRegistrationTransform
from sphinx_faq_ext.transforms.doctree import DoctreeHousekeepingTransform
from sphinx_faq_ext.transforms.i18n import (
    QuestionTitleTransform,
    QuestionTitleTypographyTransform,
)
from sphinx_faq_ext.transforms.index import QuestionIndexPostTransform
from sphinx_faq_ext.transforms.notes import (
    DuplicateAnchorPostTransform,
    NoteNumberingTransform,
    NotesStylePostTransform,
    strip_title_notes,
)
from sphinx_faq_ext.transforms.pybtex_style import register_notes_style_for_bibtex
from sphinx_faq_ext.transforms.quote_markers import QuoteMarkerTransform
from sphinx_faq_ext.transforms.sections import DeepSectionsPostTransform
from sphinx_faq_ext.transforms.sources import (
    SourcesPostTransform,
    WorksCollector,
    on_env_updated,
)

if TYPE_CHECKING:
    from docutils.transforms import Transform
    from sphinx.application import Sphinx

#: Read-time transforms, in the order they run (see the module docstring).
READ_TIME: tuple[type[Transform], ...] = (
    QuestionTitleTransform,
    QuoteMarkerTransform,
    CiteFormattingTransform,
    NoteNumberingTransform,
    CiteRegistrationTransform,
    WorksCollector,
    DoctreeHousekeepingTransform,
    QuestionTitleTypographyTransform,
)

#: Post-transforms, in the order they run (see the module docstring).
WRITE_TIME: tuple[type[Transform], ...] = (
    DuplicateAnchorPostTransform,
    NotesStylePostTransform,
    QuestionIndexPostTransform,
    SourcesPostTransform,
    DeepSectionsPostTransform,
)


def setup_transforms(app: Sphinx) -> None:
    """Register every transform and post-transform, and the ``faq:cite`` style."""
    app.connect("config-inited", register_notes_style_for_bibtex)
    for transform in READ_TIME:
        app.add_transform(transform)
    for post_transform in WRITE_TIME:
        app.add_post_transform(post_transform)
    # After Sphinx's own collectors (connected first) have copied the titles.
    app.connect("doctree-read", strip_title_notes, priority=600)
    # A changed works table rewrites every document that shows one; after the
    # domain's handler (priority 500) has derived the question table.
    app.connect("env-updated", on_env_updated, priority=600)
