"""Sphinx's private API: the application and builder class of the environment,
the application of a builder, the LaTeX translator's heading context, a
theme's folders, and the type of ``toc.ncx``'s navigation points."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sphinx

from sphinx_faq_ext.util.upstream import _changed

# NcxNavPoint is toc.ncx's navigation point: Sphinx's ePub builder types its
# toc.ncx methods with it and exports it from no public module (the public
# ``sphinx.builders.epub3.NavPoint`` is nav.xhtml's).  A type only, read by
# mypy, never at run time; tests/test_upstream.py checks it is there.
if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.builders._epub_base import NavPoint as NcxNavPoint
    from sphinx.environment import BuildEnvironment

__all__ = ["NcxNavPoint", "builder_app", "env_app", "env_builder_class",
           "latex_after_heading", "theme_dirs"]


def env_app(env: BuildEnvironment) -> Sphinx:
    """The application of *env*: ``env._app`` from Sphinx 8.2 (``env.app`` is
    deprecated there), the public ``env.app`` before."""
    if sphinx.version_info >= (8, 2):
        app = getattr(env, "_app", None)
        if app is not None:
            return app
        _changed("sphinx.environment.BuildEnvironment._app", "using env.app")
    return env.app


def env_builder_class(env: BuildEnvironment) -> type[Builder] | None:
    """The builder class Sphinx records on *env* (``env._builder_cls``).

    Unlike ``env.app.builder`` it is known in parallel-read worker processes.
    ``None`` when Sphinx no longer records it.
    """
    cls = getattr(env, "_builder_cls", None)
    if cls is None and sphinx.version_info >= (8, 2):
        _changed("sphinx.environment.BuildEnvironment._builder_cls",
                 "using the application's builder")
    return cls


def builder_app(builder: Builder) -> Sphinx:
    """The application of *builder*: ``Builder._app``, since Sphinx 9 deprecates
    the public ``Builder.app``; ``builder.app`` before."""
    app = getattr(builder, "_app", None)
    if app is not None:
        return app
    if sphinx.version_info >= (9, 0):
        _changed("sphinx.builders.Builder._app", "using builder.app")
    return builder.app


def latex_after_heading(translator: Any, text: str) -> None:
    """Write *text* after the heading the LaTeX translator is in.

    ``visit_title`` pushes the heading's closing brace and label on the
    translator's ``context`` stack and ``depart_title`` writes it: appending to
    the top entry puts *text* right after the heading.
    """
    context = getattr(translator, "context", None)
    if not isinstance(context, list) or not context or not isinstance(context[-1], str):
        _changed("sphinx.writers.latex.LaTeXTranslator.context",
                 "a note in a heading is written in the heading")
        translator.body.append(text)
        return
    context[-1] += text


def theme_dirs(theme: Any) -> list[str]:
    """The folders of *theme* and the themes it inherits (``Theme._dirs``)."""
    dirs = getattr(theme, "_dirs", None)
    if dirs is None:
        _changed("sphinx.theming.Theme._dirs",
                 "a theme inheriting ours gets no breadcrumbs or downloads")
        return []
    return [str(d) for d in dirs]
