"""The `kbgen` MkDocs plugin: checks content, shapes the site, hands data to the theme."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from kbgen import contact_handoff, site_data, stats_file
from kbgen.content import ContentSite, errors_in, load_content, revisions
from kbgen.content.dates import last_updated
from kbgen.errors import KbgenError
from kbgen.mkdocs_plugin import outputs, pages, stylesheets
from kbgen.mkdocs_plugin.config import KbgenConfig
from kbgen.search.build import SearchBuild, SearchJob
from kbgen.search.semantic import model_folder

log = logging.getLogger("mkdocs.plugins.kbgen")

REQUIRED_EXTENSIONS = ("toc", "admonition", "attr_list", "md_in_html", "tables",
                       "pymdownx.details", "pymdownx.superfences")


# Files in the content folder that configure kbgen and are not part of the site.
NOT_PUBLISHED = ("_category.yml", "search-tests.yml")


def _not_published(name: str) -> bool:
    """Configuration files: NOT_PUBLISHED, and the search tests of a language
    (`search-tests.de.yml`)."""
    return name in NOT_PUBLISHED or (name.startswith("search-tests.") and name.endswith(".yml"))


def theme_dir() -> Path:
    """theme/ inside the installed wheel, or next to the package in a source checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "theme"
    return packaged if packaged.is_dir() else package.parent / "theme"


class KbgenPlugin(BasePlugin[KbgenConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.site: ContentSite | None = None
        self.updated: dict = {}
        self.related: dict[str, list[str]] = {}
        self.problems_reported = False  # kbgen build prints them itself before building
        self.preloaded: ContentSite | None = None  # kbgen build hands over what it checked
        self.stats: dict[str, stats_file.ArticleStats] = {}
        self.styles = stylesheets.Usage()  # what the written pages use (on_post_page)
        self.search: SearchBuild | None = None
        self.client: dict = {}  # kb-config's helpdesk hand-off and NPS settings
        self.alternates: dict[str, list[dict[str, str]]] = {}  # page URL -> hreflang links

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        if config.theme.name != "material":
            raise PluginError("kbgen needs mkdocs-material: set 'theme: {name: material}' "
                              "in mkdocs.yml.")
        root = Path(config.config_file_path or ".").resolve().parent
        docs_dir = Path(config.docs_dir).resolve()
        if self.preloaded is not None and self.preloaded.docs_dir == docs_dir:
            site = self.preloaded
        else:
            site = load_content(docs_dir, root=root, languages=self.config.languages)
        errors = errors_in(site.problems, self.config.strict)
        for problem in site.problems:
            if problem not in errors and not self.problems_reported:
                log.warning("%s", problem)
        if errors:
            listing = "\n".join(str(p) for p in errors)
            raise PluginError(f"Content has {len(errors)} problem(s):\n{listing}")
        self.client = _client_options(self.config, config.config_file_path or "mkdocs.yml")
        if "generator" not in config.extra:  # material's "Made with Material for MkDocs"
            config.extra["generator"] = self.config.footer_credit
        self.site = site
        self.alternates = {}
        self.styles = stylesheets.Usage()
        self.updated = last_updated(site.docs_dir, [a.src for a in site.articles])
        self.state_dir = root / ".kbgen"
        self.stats = self._load_stats(root)
        custom = 1 if config.theme.custom_dir else 0
        config.theme.dirs.insert(custom, str(theme_dir()))
        config.theme["font"] = False  # builds fully offline: no Google Fonts
        _limit_instant_navigation(config, len(site.published(self.config.drafts)),
                                  len(site.languages))
        config.nav = pages.navigation(site, self.config.drafts)
        config.validation.nav.omitted_files = logging.DEBUG  # articles are not in the nav
        config.validation.nav.absolute_links = logging.DEBUG
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        config.mdx_configs.setdefault("toc", {}).setdefault("permalink", True)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if not self.config.enabled or self.site is None:
            return files
        shown_status = ("published", "draft") if self.config.drafts else ("published",)
        shown = {a.src for a in self.site.published(self.config.drafts)}
        shown |= {t.src for t in self.site.translations
                  if t.status in shown_status and t.source_src in shown}
        articles = set(self.site.all_by_src)
        translations = {t.src: t for t in self.site.translations}
        for file in list(files):
            hidden = file.src_uri in articles and file.src_uri not in shown
            if hidden or _not_published(file.src_uri.rsplit("/", 1)[-1]):
                files.remove(file)
            elif file.src_uri in translations:
                # refunds.de.md is published at de/<folder>/refunds/, beside the German pages
                _publish_at(file, translations[file.src_uri].url + "index.html")
        for src_uri, content in pages.generated(self.site, self.config.drafts).items():
            files.append(File.generated(config, src_uri, content=content))
        # The search outputs depend on the articles only: they are computed beside the
        # page rendering (kbgen.search.build) and joined in on_post_build.
        self._cancel_search()
        try:
            semantic_model = model_folder(self.config.semantic_search,
                                          Path(config.config_file_path).parent)
        except KbgenError as exc:
            raise PluginError(f"{config.config_file_path}: {exc}") from None
        default_lang = self.site.default_language
        if semantic_model is not None and default_lang and not default_lang.startswith("en"):
            log.info("semantic search: the model reads English; the %s pages are searched "
                     "by their words only", default_lang)
            semantic_model = None
        job = SearchJob(
            articles=list(self.site.published(self.config.drafts)),
            # Every category an article is in, titled as the pages title it (a folder
            # without _category.yml too: "account" -> "Account").
            categories={c.slug: str(c.title)
                        for c in self.site.used_categories(self.config.drafts)},
            state_dir=self.state_dir, site_dir=Path(config.site_dir),
            related_count=self.config.related_count, semantic_model=semantic_model,
            languages={lang: [t for t in self.site.view(lang).published(self.config.drafts)
                              if t.source_src in shown]
                       for lang in self.site.other_languages},
            language_categories={lang: {slug: str(c.title) for slug, c in
                                        self.site.view(lang).categories.items()}
                                 for lang in self.site.other_languages},
        )
        self.search = SearchBuild(job)
        try:
            self.search.start()
        except KbgenError as exc:
            raise PluginError(str(exc)) from None
        return files

    def on_env(self, env, config: MkDocsConfig, files: Files):
        env.globals["kb_material_languages"] = _material_languages()
        if self.search is not None:
            try:
                self.related = self.search.related()
            except KbgenError as exc:
                raise PluginError(str(exc)) from None
        return env

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files):
        article = self._article(page)
        if article is not None and article.type == "faq":
            html, answers = pages.collapsible_faq(html)
            page.kb_faq_answers = answers  # type: ignore[attr-defined]
        return html

    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        if self.site is None:
            return context
        context["kb"] = pages.context(
            self.site, page.file.src_uri, self.config, self.updated, self.related,
            site_url=config.site_url or "", page_url=page.canonical_url or page.url,
            faq_answers=getattr(page, "kb_faq_answers", {}), stats=self.stats,
            client=self.client,
        )
        if context["kb"]["alternates"]:
            self.alternates[page.url] = context["kb"]["alternates"]
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        self.styles.add_page(output)
        return output

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig):
        self.styles.add_page(output_content)  # 404.html
        return output_content

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.site is None:
            return
        site_dir = Path(config.site_dir)
        # Material's style sheets without the rules no page can use (most of its 135 KB).
        remote = [str(s) for s in config.extra_javascript if "//" in str(s)]
        site_path = urlsplit(config.site_url or "").path or "/"
        stylesheets.trim_site(site_dir, self.styles, remote, site_path.rstrip("/") + "/")
        outputs.write_redirects(site_data.redirects(self.site, self.config.drafts), site_dir,
                                config.site_url or "")
        outputs.write_robots(site_dir, config.site_url)
        # The search page is noindex (main.html): a sitemap must not list it.
        outputs.drop_from_sitemap(site_dir, {(config.site_url or "") + prefix + "search/"
                                             for prefix in ["", *(f"{lang}/" for lang in
                                                                  self.site.other_languages)]})
        if config.site_url and self.alternates:
            outputs.add_sitemap_alternates(site_dir, config.site_url, self.alternates)
        if self.search is not None:
            search, self.search = self.search, None
            try:
                search.finish()  # the engine's index and site_dir/search/kb/ are written
            except KbgenError as exc:
                raise PluginError(str(exc)) from None
        outputs.write_manifest(
            site_data.manifest(self.site, config.site_name, config.site_url, self.config.drafts),
            self.state_dir,
        )
        revisions.record(self.site.published(self.config.drafts), self.site.docs_dir,
                         self.state_dir)

    def on_build_error(self, error: Exception) -> None:
        self._cancel_search()

    def _cancel_search(self) -> None:
        if self.search is not None:
            search, self.search = self.search, None
            search.cancel()

    def _load_stats(self, root: Path) -> dict[str, stats_file.ArticleStats]:
        """The stats_file option's numbers, or none when it is empty."""
        if not self.config.stats_file:
            return {}
        try:
            return stats_file.load(root / self.config.stats_file)
        except KbgenError as exc:
            raise PluginError(str(exc)) from None

    def _article(self, page: Page):
        return self.site.all_by_src.get(page.file.src_uri) if self.site else None


def _material_languages() -> list[str]:
    """The languages mkdocs-material has translations of its own words for."""
    import material  # type: ignore[import-untyped]

    folder = Path(material.__file__).parent / "templates" / "partials" / "languages"
    return sorted(path.stem for path in folder.glob("*.html"))


def _publish_at(file: File, dest_uri: str) -> None:
    """Write `file` at `dest_uri` (MkDocs 1.6: dest_uri may be set in on_files; the values
    derived from it are computed again)."""
    file.dest_uri = dest_uri
    for derived in ("url", "abs_dest_path"):
        file.__dict__.pop(derived, None)


def _client_options(options: KbgenConfig, where: str) -> dict:
    """What kbgen.js needs beyond the API: the helpdesk hand-off and the NPS question."""
    try:
        return {"handoff": contact_handoff.handoff(options.contact, options.contact_url, where),
                "nps": contact_handoff.nps(options.nps, where)}
    except KbgenError as exc:
        raise PluginError(str(exc)) from None


# mkdocs-material's instant navigation downloads the whole sitemap.xml on the first page
# view (730 KB at 5,000 articles), which breaks the page-weight budget of large help centers.
INSTANT_NAVIGATION_MAX_ARTICLES = 1000


def _limit_instant_navigation(config: MkDocsConfig, articles: int, languages: int = 0) -> None:
    features = config.theme.get("features") or []
    if languages > 1 and "navigation.instant" in features:
        # Instant navigation keeps the first page's <html lang> and kb-config (its language,
        # its search index) for every page after it: a language change needs a page load.
        config.theme["features"] = [f for f in features if not f.startswith("navigation.instant")]
        log.info("navigation.instant is off: the help center has %d languages.", languages)
        return
    if articles > INSTANT_NAVIGATION_MAX_ARTICLES and "navigation.instant" in features:
        config.theme["features"] = [f for f in features if not f.startswith("navigation.instant")]
        log.info("navigation.instant is off: with %d articles its sitemap download would "
                 "outweigh the page (limit %d).", articles, INSTANT_NAVIGATION_MAX_ARTICLES)
