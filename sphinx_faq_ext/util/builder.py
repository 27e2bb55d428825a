"""Which builder runs, and what it publishes.

The builder of a transform, without Sphinx 9's deprecated ``Transform.app``;
and the one answer to "is this an ePub or a website?".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_faq_ext.util.upstream import env_app, env_builder_class

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


def current_builder(env: BuildEnvironment) -> Builder:
    """The builder of this build."""
    return env_app(env).builder


def builder_class(env: BuildEnvironment) -> type[Builder]:
    """The builder's class, also known in parallel-read worker processes."""
    cls = env_builder_class(env)
    return cls if cls is not None else type(current_builder(env))


def is_epub(builder: Builder) -> bool:
    """Whether *builder* makes an ePub (it renders HTML, but one file for e-readers)."""
    return builder.name.startswith("epub")


def is_website(builder: Builder) -> bool:
    """Whether *builder* publishes web pages: HTML, not the ePub, not the PDF."""
    return builder.format == "html" and not is_epub(builder) and builder.name != "faqpdf"


def parallel_jobs(builder: Builder) -> int:
    """How many processes ``-j`` allows (Sphinx 9 deprecates ``Builder.app``)."""
    app = getattr(builder, "_app", None) or builder.app
    return max(1, int(app.parallel))
