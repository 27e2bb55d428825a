"""Page context for the theme's templates: labels, breadcrumbs, downloads, edit link.

Everything here is computed in ``html-page-context`` and handed to the
templates as ``faq_*`` variables, so the templates stay free of logic.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from weakref import WeakSet

from docutils import nodes
from sphinx.locale import _ as sphinx_gettext
from sphinx.locale import get_translation

from sphinx_faq_ext.domain import faq_domain, has_faq_domain
from sphinx_faq_ext.nodes import is_question
from sphinx_faq_ext.numbering import parent_number
from sphinx_faq_ext.theme.identifiers import identifier_breaks, index_entry
from sphinx_faq_ext.util.builder import is_epub
from sphinx_faq_ext.util.upstream.sphinx import theme_dirs

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

#: The name authors give to ``html_theme``.
THEME_NAME = "sphinx_faq_ext"
#: The folder holding ``theme.toml``.
THEME_DIR = Path(__file__).parent / THEME_NAME
#: Our catalog (``sphinx_faq_ext/locale``), registered by :func:`setup_theme`.
_faq = get_translation("sphinx_faq_ext")


def faq_gettext(message: str) -> str:
    """A theme label in the build's language (the templates' ``faq_gettext``).

    Sphinx binds the templates' ``_()`` to its own catalog, which lacks most of
    the theme's labels ("Dark mode", "Skip to content"), so they come from ours.
    For a language ours does not cover, Sphinx's catalog is asked too: it has a
    few of them ("Contents") in some seventy languages.
    """
    translated = str(_faq(message))
    if translated == message:
        translated = str(sphinx_gettext(message))
    return translated


@dataclass(frozen=True)
class Crumb:
    """One breadcrumb: its text, link and an optional longer title."""

    text: str
    link: str
    title: str = ""


@dataclass(frozen=True)
class Download:
    """One "download the book" link."""

    label: str
    url: str
    format: str


def uses_faq_theme(builder: Builder) -> bool:
    """Whether *builder* renders pages with this theme (or one inheriting it)."""
    theme = getattr(builder, "theme", None)
    if theme is None or is_epub(builder):
        return False
    if getattr(theme, "name", "") == THEME_NAME:
        return True
    # Inheriting themes list our folder among theirs.
    return any(Path(d) == THEME_DIR for d in theme_dirs(theme))


def read_the_docs_downloads(environ: Mapping[str, str], formats: str) -> dict[str, str]:
    """The offline-format URLs Read the Docs serves for this build, by format.

    Read the Docs serves them at ``<site>/_/downloads/<lang>/<version>/<fmt>/``;
    the site comes from ``READTHEDOCS_CANONICAL_URL`` (custom domains
    included), else from the project slug.  Outside Read the Docs: nothing.
    """
    if environ.get("READTHEDOCS", "").lower() != "true":
        return {}
    version = environ.get("READTHEDOCS_VERSION", "")
    language = environ.get("READTHEDOCS_LANGUAGE", "") or "en"
    canonical = urlsplit(environ.get("READTHEDOCS_CANONICAL_URL", ""))
    project = environ.get("READTHEDOCS_PROJECT", "")
    if canonical.scheme and canonical.netloc:
        site = f"{canonical.scheme}://{canonical.netloc}"
    elif project:
        site = f"https://{project}.readthedocs.io"
    else:
        return {}
    if not version:
        return {}
    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    return {fmt: f"{site}/_/downloads/{language}/{version}/{fmt}/" for fmt in wanted}


def download_links(context: Mapping[str, Any], environ: Mapping[str, str]) -> list[Download]:
    """ePub and PDF links: theme options first, Read the Docs as the fallback."""
    auto = read_the_docs_downloads(environ, str(context.get("theme_rtd_downloads", "")))
    links = []
    for fmt, label in (("epub", "ePub"), ("pdf", "PDF")):
        url = str(context.get(f"theme_download_{fmt}", "") or "") or auto.get(fmt, "")
        if url:
            links.append(Download(label=label, url=url, format=fmt))
    return links


def read_the_docs_repository(environ: Mapping[str, str]) -> tuple[str, str]:
    """The web URL and branch of the repository Read the Docs is building.

    ``READTHEDOCS_GIT_CLONE_URL`` is ``https://host/org/repo.git`` or
    ``git@host:org/repo.git``; ``READTHEDOCS_GIT_IDENTIFIER`` the branch or tag.
    """
    if environ.get("READTHEDOCS", "").lower() != "true":
        return "", ""
    clone = environ.get("READTHEDOCS_GIT_CLONE_URL", "").strip()
    if clone.startswith("git@") and ":" in clone:
        host, _sep, path = clone[len("git@") :].partition(":")
        clone = f"https://{host}/{path}"
    if not clone.startswith("https://"):
        return "", ""
    clone = clone.removesuffix("/").removesuffix(".git")
    return clone, environ.get("READTHEDOCS_GIT_IDENTIFIER", "")


def edit_url(
    context: Mapping[str, Any], source_path: str, environ: Mapping[str, str] | None = None
) -> str:
    """The "edit this page" URL of *source_path* (relative to the source dir).

    GitHub and Gitea use ``<repo>/edit/<branch>/<path>``, GitLab
    ``<repo>/-/edit/<branch>/<path>``; ``edit_url_template`` covers the rest.
    Without ``repository_url``, Read the Docs' environment supplies it.
    """
    template = str(context.get("theme_edit_url_template", "") or "")
    repository = str(context.get("theme_repository_url", "") or "").rstrip("/")
    branch = str(context.get("theme_repository_branch", "") or "main")
    if not repository and not template:
        repository, rtd_branch = read_the_docs_repository(environ or {})
        branch = rtd_branch or branch
    folder = str(context.get("theme_repository_path", "") or "").strip("/")
    path = f"{folder}/{source_path}" if folder else source_path
    if template:
        return template.format(repository=repository, branch=branch, path=path)
    if not repository:
        return ""
    edit = "-/edit" if "gitlab" in urlsplit(repository).netloc else "edit"
    return f"{repository}/{edit}/{branch}/{path}"


def title_section(doctree: nodes.document) -> nodes.section | None:
    """The section whose title is the page's title: the first one, as for Sphinx
    (``sphinx.environment.collectors.title``), wherever it stands."""
    return next(iter(doctree.findall(nodes.section)), None)


def _question_chain(doctree: nodes.document) -> list[nodes.section]:
    """The questions a page *is*: its title section when that is a question and,
    while a question holds exactly one sub-question, that one (A → A.2 → A.2.6).

    A question further down a page titled by a plain heading (a live example in
    a reference page, or the showcase under its own heading) is not where the
    page stands in the book, so it gives no chain: the toctree path is used.
    """
    top = title_section(doctree)
    if top is None or not is_question(top):
        return []
    chain = [top]
    while True:
        children = [c for c in chain[-1].children if is_question(c)]
        if len(children) != 1:
            return chain
        chain.append(children[0])


def _question_label(section: nodes.section) -> tuple[str, str]:
    title = section.next_node(nodes.title)
    full = title.astext() if title is not None else ""
    return str(section.get("faq_number", "")), full


def breadcrumbs(
    app: Sphinx, pagename: str, context: Mapping[str, Any], doctree: nodes.document | None
) -> list[Crumb]:
    """Home, then the page's place in the book.

    A page titled by a question gets the question hierarchy (A → A.2 → A.2.6,
    parents on other pages included); any other page its toctree parents and
    its own title, whatever questions it holds further down.
    """
    builder = app.builder
    home = Crumb(str(app.config.project), str(context["pathto"](app.config.root_doc)))
    # The whole book on one page (singlehtml) or the home page: no single trail.
    single_trail = builder.name != "singlehtml" and pagename != app.config.root_doc
    chain = _question_chain(doctree) if doctree is not None and single_trail else []
    if not chain:
        parents = context.get("parents", [])
        crumbs = [Crumb(_striptags(p["title"]), str(p["link"])) for p in parents]
        title = _striptags(str(context.get("title", "")))
        if pagename != app.config.root_doc and title:
            crumbs.append(Crumb(title, ""))
        return [home, *crumbs]
    crumbs = []
    # Ancestors of the outermost question that live on other pages.
    domain = faq_domain(app.env) if has_faq_domain(app.env) else None
    number = parent_number(str(chain[0].get("faq_number", "")))
    ancestors: list[Crumb] = []
    while number and domain is not None:
        record = domain.question(number)
        if record is None:
            break
        link = builder.get_relative_uri(pagename, record.docname) + "#" + record.anchor
        ancestors.insert(0, Crumb(record.number, link, record.full_title))
        number = parent_number(record.number)
    crumbs.extend(ancestors)
    for section in chain:
        number, full = _question_label(section)
        anchor = section["ids"][0] if section["ids"] else ""
        crumbs.append(Crumb(number or full, f"#{anchor}", full))
    # The last crumb is where the reader is: no link, marked current.
    last = crumbs[-1]
    crumbs[-1] = Crumb(last.text, "", last.title)
    return [home, *crumbs]


#: The environments whose build removed a document (set by ``env-get-outdated``,
#: read by ``env-updated`` in the same build).
_REMOVED_IN_BUILD: WeakSet[BuildEnvironment] = WeakSet()


def note_removed_documents(
    _app: Sphinx, env: BuildEnvironment, _added: set[str], _changed: set[str],
    removed: set[str],
) -> list[str]:
    """``env-get-outdated``: remember that this build removes a document (nothing to read)."""
    if removed:
        _REMOVED_IN_BUILD.add(env)
    return []


def pages_with_changed_crumbs(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the pages whose breadcrumbs or sidebar show a changed question.

    A page titled by a question shows its ancestors on other pages; when one
    of them is renamed, renumbered, added or removed, the page is rewritten
    (the references and tables that show it are the domain's business).
    Every page's sidebar shows the whole contents: when a document was
    removed, every page is written again (Sphinx 9 does so itself; 7.4 left
    the other pages' sidebars listing the removed document).
    """
    removed = env in _REMOVED_IN_BUILD
    _REMOVED_IN_BUILD.discard(env)
    if removed:  # whatever the theme: Sphinx's own sidebars show the contents too
        return sorted(env.found_docs)
    if not uses_faq_theme(app.builder):
        return []
    if not has_faq_domain(env):
        return []
    domain = faq_domain(env)
    changes = domain.changes
    if not changes:
        return []
    return sorted(domain.documents_below(changes) & env.found_docs)


def is_book(app: Sphinx) -> bool:
    """Whether the project holds FAQ questions: its labels then say "book"."""
    if app.env is None or not has_faq_domain(app.env):
        return False
    return any(faq_domain(app.env).data.get("questions", {}).values())


def logo_dark_url(context: Mapping[str, Any]) -> str:
    """The ``logo_dark`` option as a URL: a file in ``html_static_path``, or a URL."""
    logo = str(context.get("theme_logo_dark", "") or "").strip()
    if not logo or "://" in logo or logo.startswith("data:"):
        return logo
    return str(context["pathto"]("_static/" + logo.removeprefix("_static/"), 1))


#: A page gets an "On this page" list from this many entries on.
PAGE_TOC_MINIMUM = 3


def page_toc(app: Sphinx, pagename: str, doctree: nodes.document | None) -> str:
    """The HTML of the "On this page" list of *pagename*, or ``""`` for none.

    The page's sections and API entries under its title, when there are at
    least :data:`PAGE_TOC_MINIMUM`.  Pages holding questions get none: the
    sidebar tree lists their questions and marks the one being read.
    """
    from sphinx.environment.adapters.toctree import document_toc

    if doctree is None or pagename not in app.env.tocs:
        return ""
    if any(is_question(section) for section in doctree.findall(nodes.section)):
        return ""
    toc = document_toc(app.env, pagename, app.tags)
    items = [item for item in toc.children if isinstance(item, nodes.list_item)]
    if len(items) == 1:
        # The page's title: its entries are the list under it.
        nested = [child for child in items[0].children if isinstance(child, nodes.bullet_list)]
        if not nested:
            return ""
        toc = nested[0]
    if len(list(toc.findall(nodes.list_item))) < PAGE_TOC_MINIMUM:
        return ""
    return str(app.builder.render_partial(toc)["fragment"])  # type: ignore[attr-defined]


def _striptags(text: str) -> str:
    from markupsafe import Markup

    return Markup(text).striptags()


def add_theme_context(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """``html-page-context``: the ``faq_*`` variables of the theme's templates."""
    # Always there: a theme whose inheritance we cannot see still renders our
    # templates, and an undefined function would stop its build.
    context["faq_gettext"] = faq_gettext
    context["faq_identifier_breaks"] = identifier_breaks
    context["faq_index_entry"] = index_entry
    context["faq_is_book"] = is_book(app)
    context["faq_logo_dark_url"] = logo_dark_url(context)
    if not uses_faq_theme(app.builder):
        return
    context["faq_breadcrumbs"] = breadcrumbs(app, pagename, context, doctree)
    context["faq_page_toc"] = page_toc(app, pagename, doctree)
    context["faq_downloads"] = download_links(context, os.environ)
    source = ""
    if pagename in app.env.all_docs:
        source = str(app.env.doc2path(pagename, False)).replace(os.sep, "/")
    context["faq_edit_url"] = edit_url(context, source, os.environ) if source else ""
