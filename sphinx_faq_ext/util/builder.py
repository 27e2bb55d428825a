"""The builder running a transform, without Sphinx 9's deprecated ``Transform.app``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


def current_builder(env: BuildEnvironment) -> Builder:
    """The builder of this build (``env._app`` from Sphinx 8.2, ``env.app`` before)."""
    app = getattr(env, "_app", None) or env.app
    return app.builder


def builder_class(env: BuildEnvironment) -> type[Builder]:
    """The builder's class, also known in parallel-read worker processes."""
    cls = getattr(env, "_builder_cls", None)
    return cls if cls is not None else type(current_builder(env))
