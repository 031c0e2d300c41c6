"""mkdocs-material's style sheets cut down to the rules a built help center can use.

Material ships one 135 KB main.css for every feature it has (content tabs, code annotations,
blog, version selector, tooltips, ...) plus 12 KB of colour palettes for every primary and
accent colour. Served uncompressed (a plain static host), those bytes are most of what a
phone on slow 4G downloads before it can paint a page: Lighthouse's mobile performance was
91-94 for that alone.

After a build everything a rule could match is known: the classes, element names and colour
attributes of every page written (collected as MkDocs writes them) and every string in the
site's scripts (that is where material's and kbgen's JavaScript takes the classes it adds, e.g.
`md-typeset__scrollwrap` around tables or `md-nav__link--active` while scrolling). A selector
that names a class, element or colour nothing uses can never match, so it is left out; a rule
with no selector left goes too, and then the custom properties (`--md-...`) nothing reads any
more. The result is written beside material's file under a content-hashed name and the pages
are pointed at it, so a browser never mixes a cached old cut with new pages. Material's full
files stay in the site: a page re-rendered by `kbgen serve`'s fast path (not re-pointed) still
gets every rule.

CSS is read with tinycss2 (CSS Syntax Level 3): rules, at-rules (`@media`/`@supports` are
cut inside, the rest kept whole), selectors as tokens; comments are left out.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import tinycss2
from tinycss2 import ast

log = logging.getLogger("mkdocs.plugins.kbgen")

# Material's style sheets (their names carry material's content hash) and where they live.
STYLESHEETS = "assets/stylesheets"
MATERIAL_SHEET = re.compile(r"^(main|palette)\.[0-9a-f]{8}\.min\.css$")
# Scripts that cannot add classes to a page: web workers and lunr's stemmers.
NOT_PAGE_SCRIPTS = ("assets/javascripts/workers/", "assets/javascripts/lunr/")
# Colour attributes material's palette CSS selects on; their values come from mkdocs.yml.
COLOR_ATTRIBUTES = ("data-md-color-scheme", "data-md-color-primary", "data-md-color-accent")

_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
# Patterns start with a literal so the scan of a 120 MB site (5,000 articles) stays cheap.
_CLASS_ATTR = re.compile(r'class="([^"]*)"')
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_COLOR_ATTR = re.compile(r'(data-md-color-(?:scheme|primary|accent))="([^"]*)"')
_VAR_USE = re.compile(r"var\(\s*(--[\w-]+)")
_STRING = re.compile(r""""((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`""",
                     re.DOTALL)
_WORD = re.compile(r"[A-Za-z_][\w-]*")
_DASHED = re.compile(r"--[A-Za-z_][\w-]*")

# At-rules whose rules are cut one by one; every other at-rule is kept whole.
_CUT_INSIDE = ("media", "supports")


@dataclass
class Usage:
    """What the built pages and scripts use: the vocabulary a selector must stay within."""

    classes: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=lambda: {"html", "head", "body"})
    colors: set[tuple[str, str]] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # strings in scripts, split into words
    prefixes: set[str] = field(default_factory=set)  # "md-tag--" + name and the like
    variables: set[str] = field(default_factory=set)  # custom properties read by pages
    link_lists: set[tuple[str, ...]] = field(default_factory=set)  # each page's sheet hrefs
    inline_styles: bool = False  # a <style> among the links: joining would reorder them
    dashed: set[str] = field(default_factory=set)  # "--name" strings in scripts
    _class_lists: set[str] = field(default_factory=set)
    _scripts: set[str] = field(default_factory=set)

    def add_page(self, html: str) -> None:
        """Called with each page as MkDocs writes it (cheap: a few C-speed scans)."""
        self._class_lists.update(_CLASS_ATTR.findall(html))
        self.link_lists.add(tuple(_STYLESHEET_LINK.findall(html)))
        self.inline_styles = self.inline_styles or "<style" in html
        self.tags.update(_TAG.findall(html))
        self.colors.update(_COLOR_ATTR.findall(html))
        if "var(" in html:
            self.variables.update(_VAR_USE.findall(html))
        for script in _inline_scripts(html):
            if script not in self._scripts:
                self._scripts.add(script)
                self.add_script(script)

    def add_script(self, js: str) -> None:
        """Every word inside a string literal (where class names live in minified code).

        "--md-tooltip-x" is a custom property the script sets or reads; "--active" a
        modifier it appends to a class name; "md-tag--" the start of one it completes.
        """
        for match in _STRING.finditer(js):
            text = match.group(1) or match.group(2) or match.group(3) or ""
            if "--" in text:
                self.dashed.update(_DASHED.findall(text))
            for word in _WORD.findall(text):
                self.words.add(word)
                if word[-1] in "-_" and len(word.strip("-_")) >= 3:
                    self.prefixes.add(word)

    def add_style(self, css: str) -> None:
        """Another style sheet of the site (kbgen.css, extra_css): the variables it reads."""
        self.variables.update(_VAR_USE.findall(css))

    def finish(self) -> None:
        for class_list in self._class_lists:
            self.classes.update(class_list.split())
        self._class_lists.clear()
        self.tags = {tag.lower() for tag in self.tags}

    def has_class(self, name: str) -> bool:
        if name in self.classes or name in self.words:
            return True
        if any(name.startswith(prefix) for prefix in self.prefixes):
            return True
        base, modifier, rest = name.partition("--")  # a known class + a modifier from a script
        return bool(modifier) and f"--{rest}" in self.dashed and self.has_class(base)

    def has_tag(self, name: str) -> bool:
        name = name.lower()
        return name in self.tags or name in self.words

    def can_match(self, selector: Selector) -> bool:
        """False only when the selector names something no page or script has."""
        if selector.escaped:
            return True  # escaped names: not worth reading, keep
        return (all(color in self.colors for color in selector.colors)
                and all(self.has_class(name) for name in selector.classes)
                and all(self.has_tag(name) for name in selector.tags))


# ------------------------------------------------------------------ reading and writing CSS

@dataclass
class Selector:
    """One selector of a rule's list, and the names it requires a page to have.

    What is inside :not(), :is(), :where() or :has() is not required to exist, so only the
    names outside parentheses count: classes (`.name`), element names and the colour
    attributes material's palette selects on (`[data-md-color-primary=indigo]`).
    """

    tokens: list
    classes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    colors: list[tuple[str, str]] = field(default_factory=list)
    escaped: bool = False

    @classmethod
    def read(cls, tokens: list) -> Selector:
        selector = cls(_strip_whitespace(tokens))
        selector.escaped = "\\" in tinycss2.serialize(selector.tokens)
        previous = None  # the token before, whitespace included
        for token in selector.tokens:
            if token.type == "ident" and _is_literal(previous, "."):
                selector.classes.append(token.value)
            elif token.type == "ident" and not _is_literal(previous, ":"):
                selector.tags.append(token.value)
            elif token.type == "[] block":
                color = _color_attribute(token.content)
                if color:
                    selector.colors.append(color)
            previous = token
        return selector

    def serialize(self) -> str:
        text = tinycss2.serialize(self.tokens)
        # tinycss2 keeps a dimension or name apart from a signed number with an empty
        # comment (`1n/**/+2` in `:nth-child(1n+2)`); `+` cannot continue either, so outside
        # strings the comment only costs bytes.
        return text if '"' in text else text.replace("/**/+", "+")


@dataclass
class Rule:
    selectors: list[Selector]
    declarations: list  # tinycss2 Declaration nodes


@dataclass
class Block:
    at_rule: ast.AtRule  # "@media ..." or "@supports ..."; its rules are `children`
    children: list


def _inline_scripts(html: str) -> list[str]:
    """The text of each `<script>...</script>`, found with str.find: pages hold writers' raw
    HTML, where a thousand unclosed `<script>` must not each scan to the end."""
    scripts = []
    start = html.find("<script>")
    while start != -1:
        end = html.find("</script>", start + 8)
        if end == -1:
            break
        scripts.append(html[start + 8 : end])
        start = html.find("<script>", end + 9)
    return scripts


def parse(css: str) -> list:
    """Rules, @media/@supports blocks, and every other at-rule as tinycss2 read it."""
    return _nodes(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def _nodes(parsed: list) -> list:
    nodes: list[Rule | Block | ast.Node] = []
    for node in parsed:
        if node.type == "qualified-rule":
            declarations = [d for d in tinycss2.parse_blocks_contents(
                node.content, skip_comments=True, skip_whitespace=True)
                if d.type == "declaration"]  # what else a browser would drop too
            nodes.append(Rule([Selector.read(tokens) for tokens in _split_commas(node.prelude)],
                              declarations))
        elif node.type == "at-rule" and node.lower_at_keyword in _CUT_INSIDE and node.content:
            children = tinycss2.parse_rule_list(node.content, skip_comments=True,
                                                skip_whitespace=True)
            nodes.append(Block(node, _nodes(children)))
        elif node.type == "at-rule":
            nodes.append(node)
        else:
            log.debug("Left out of the cut style sheet: %s", node)
    return nodes


def serialize(nodes: list) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Rule):
            selectors = ",".join(selector.serialize() for selector in node.selectors)
            body = ";".join(declaration.serialize() for declaration in node.declarations)
            out.append(f"{selectors}{{{body}}}")
        elif isinstance(node, Block):
            prelude = tinycss2.serialize(node.at_rule.prelude).rstrip()  # " screen", "(..)"
            out.append(f"@{node.at_rule.at_keyword}{prelude}{{{serialize(node.children)}}}")
        else:
            out.append(node.serialize())
    return "".join(out)


def _split_commas(tokens: list) -> list[list]:
    """A selector list's selectors (commas inside parentheses or brackets are blocks'
    content in tinycss2, so every comma at this level separates two selectors)."""
    parts: list[list] = [[]]
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def _strip_whitespace(tokens: list) -> list:
    start, end = 0, len(tokens)
    while start < end and tokens[start].type in ("whitespace", "comment"):
        start += 1
    while end > start and tokens[end - 1].type in ("whitespace", "comment"):
        end -= 1
    return tokens[start:end]


def _is_literal(token, value: str) -> bool:
    return token is not None and token.type == "literal" and token.value == value


def _color_attribute(content: list) -> tuple[str, str] | None:
    """("data-md-color-primary", "indigo") for `[data-md-color-primary=indigo]`."""
    tokens = [t for t in content if t.type != "whitespace"]
    if (len(tokens) == 3 and tokens[0].type == "ident" and tokens[0].value in COLOR_ATTRIBUTES
            and _is_literal(tokens[1], "=") and tokens[2].type in ("ident", "string")):
        return tokens[0].value, tokens[2].value
    return None


# ------------------------------------------------------------------------------- trimming

def _drop_selectors(nodes: list, usage: Usage) -> list:
    kept: list[Rule | Block | ast.Node] = []
    for node in nodes:
        if isinstance(node, Rule):
            selectors = [s for s in node.selectors if usage.can_match(s)]
            if selectors:
                kept.append(Rule(selectors, node.declarations))
        elif isinstance(node, Block):
            children = _drop_selectors(node.children, usage)
            if children:
                kept.append(Block(node.at_rule, children))
        else:
            kept.append(node)
    return kept


def _drop_variables(nodes: list, unused: set[str]) -> list:
    kept: list[Rule | Block | ast.Node] = []
    for node in nodes:
        if isinstance(node, Rule):
            declarations = [d for d in node.declarations if d.name not in unused]
            if declarations:
                kept.append(Rule(node.selectors, declarations))
        elif isinstance(node, Block):
            children = _drop_variables(node.children, unused)
            if children:
                kept.append(Block(node.at_rule, children))
        else:
            kept.append(node)
    return kept


def _defined_variables(nodes: list) -> set[str]:
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, Rule):
            names.update(d.name for d in node.declarations if d.name.startswith("--"))
        elif isinstance(node, Block):
            names |= _defined_variables(node.children)
    return names


def trim(sheets: dict[str, str], usage: Usage) -> dict[str, str]:
    """Each style sheet without the rules and custom properties nothing can use.

    The sheets are trimmed together: a variable defined in one (palette.css) and read in
    another (main.css) is kept.
    """
    trees = {name: _drop_selectors(parse(css), usage) for name, css in sheets.items()}
    while True:  # a dropped rule can leave variables unread, which can leave others unread
        text = "".join(serialize(tree) for tree in trees.values())
        read = set(_VAR_USE.findall(text)) | usage.variables | usage.dashed
        defined = set().union(*(_defined_variables(tree) for tree in trees.values()))
        started = tuple(d for d in usage.dashed if d.endswith("-"))  # `--md-tooltip-${n}`
        unused = {name for name in defined - read if not name.startswith(started)}
        if not unused:
            return {name: serialize(tree) for name, tree in trees.items()}
        trees = {name: _drop_variables(tree, unused) for name, tree in trees.items()}


# ----------------------------------------------------------------------------- the site

def trim_site(site_dir: Path, usage: Usage, remote_scripts: list[str],
              site_path: str = "/") -> dict[str, str]:
    """Write the cut style sheets and point every page at them; returns {old: new} paths.

    When every page links the same sheets (material's, then kbgen.css), they are joined into
    one file in that order: on a host without HTTP keep-alive each sheet is another
    connection before the first paint (Lighthouse mobile: 1.5 s -> 1.2 s).
    `remote_scripts` (extra_javascript from other hosts) could add any class: nothing is cut.
    `site_path` is site_url's path, which absolute links (404.html) start with.
    """
    if remote_scripts:
        log.info("Material's style sheets are served whole: extra_javascript from another "
                 "host (%s) may add classes kbgen cannot see.", remote_scripts[0])
        return {}
    folder = site_dir / STYLESHEETS
    link_lists = {tuple(_site_path(href, site_path) for href in hrefs)
                  for hrefs in usage.link_lists if hrefs}
    linked = {rel for hrefs in link_lists for rel in hrefs}
    originals = {f"{STYLESHEETS}/{path.name}": path
                 for path in sorted(folder.glob("*.min.css"))
                 if MATERIAL_SHEET.match(path.name) and f"{STYLESHEETS}/{path.name}" in linked}
    if not originals:
        return {}
    pages = []
    for top, dirs, files in os.walk(site_dir):
        dirs.sort()
        rel = Path(top).relative_to(site_dir).as_posix() + "/"
        for name in files:
            path = Path(top, name)
            if name.endswith(".html"):
                pages.append(path)
            elif name.endswith(".js") and not (rel + name).startswith(NOT_PAGE_SCRIPTS):
                usage.add_script(path.read_text(encoding="utf-8", errors="replace"))
            elif name.endswith(".css") and (rel + name).lstrip("./") not in originals:
                usage.add_style(path.read_text(encoding="utf-8", errors="replace"))
    usage.finish()
    cut = trim({rel: path.read_text(encoding="utf-8") for rel, path in originals.items()},
               usage)
    joined = () if usage.inline_styles else _joinable(link_lists, cut, site_dir)
    if joined:
        parts = [cut.get(rel) or _CHARSET.sub("", (site_dir / rel).read_text(encoding="utf-8"))
                 for rel in joined]
        cut = {joined[0]: "".join(parts)}
    renamed = {}
    for rel, css in cut.items():
        digest = hashlib.sha256(css.encode("utf-8")).hexdigest()[:8]
        new = f"{STYLESHEETS}/{rel.rsplit('/', 1)[1].split('.', 1)[0]}.{digest}.kb.min.css"
        (site_dir / new).write_text(css, encoding="utf-8")
        renamed[rel] = new
    _repoint(pages, renamed, joined[1:] if joined else [])
    log.debug("Material's style sheets cut from %d to %d bytes.",
              sum(p.stat().st_size for p in originals.values()),
              sum(len(css.encode("utf-8")) for css in cut.values()))
    return renamed


_CHARSET = re.compile(r'^\s*@charset\s+"[^"]*";')


def _site_path(href: str, site_path: str) -> str:
    """`../../assets/x.css` or `/help/assets/x.css` -> `assets/x.css` (a page's link)."""
    if href.startswith("/") and href.startswith(site_path):
        return href[len(site_path):]
    while href.startswith(("../", "./")):
        href = href.split("/", 1)[1]
    return href


def _joinable(link_lists: set, cut: dict[str, str], site_dir: Path) -> tuple[str, ...]:
    """The sheets every page links, if they can be served as one file; else ()."""
    if len(link_lists) != 1:
        return ()
    (hrefs,) = link_lists
    if len(hrefs) < 2 or hrefs[0] not in cut:
        return ()
    for rel in hrefs[1:]:
        if rel in cut:
            continue
        path = site_dir / rel
        if "//" in rel or not path.is_file():
            return ()
        text = path.read_text(encoding="utf-8", errors="replace")
        if "@import" in text or "url(" in text:  # would resolve against another folder
            return ()
    return hrefs


def _repoint(pages: list[Path], renamed: dict[str, str], dropped: Sequence[str]) -> None:
    """Point each page's links at the new sheets (`href="../../assets/...css"`); the links
    to sheets joined into another are removed."""
    pairs = [(f'{old}">'.encode(), f'{new}">'.encode()) for old, new in renamed.items()]
    gone = [re.compile(rb'<link rel="stylesheet" href="[^"]*' + re.escape(rel.encode()) + rb'">')
            for rel in dropped]
    for path in pages:
        page = changed = path.read_bytes()
        for old, new in pairs:
            changed = changed.replace(old, new)
        for pattern in gone:
            changed = pattern.sub(b"", changed)
        if changed != page:
            path.write_bytes(changed)
