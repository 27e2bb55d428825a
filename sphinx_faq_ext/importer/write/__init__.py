"""Stage 3, write: the recognised book in, MyST text out.

Takes the model's blocks and inline runs (as the recognise stage left them);
gives MyST Markdown lines with our directives and roles (:mod:`.myst`,
:mod:`.myst_inline`) or plain MyST (:mod:`.plain`), every piece of text
escaped so that it reads back as the same text (:mod:`.escaping`).  Files,
``conf.py`` and ``index.md`` are put together by :mod:`..project`.
"""
