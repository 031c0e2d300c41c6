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

The CSS reader below only has to read material's own minified files: rules, at-rules
(`@media`/`@supports` are cut inside, the rest kept whole), strings and comments.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

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

_SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_SELECTOR_TYPE = re.compile(r"(?:^|[\s>+~])([a-zA-Z][a-zA-Z0-9-]*)")
_SELECTOR_COLOR = re.compile(
    r"\[(data-md-color-(?:scheme|primary|accent))=[\"']?([\w-]+)[\"']?\]")
_ATTRIBUTE = re.compile(r"\[[^\]]*\]")
_PSEUDO = re.compile(r"::?[\w-]+")
_CUT_INSIDE = re.compile(r"@(media|supports)\b")


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

    def can_match(self, selector: str) -> bool:
        """False only when the selector names something no page or script has."""
        if "\\" in selector:
            return True  # escaped names: not worth reading, keep
        colors = _SELECTOR_COLOR.findall(selector)
        if any(color not in self.colors for color in colors):
            return False
        # What is inside :not(), :is(), :where(), :has() is not required to exist.
        plain = _outside_parentheses(_ATTRIBUTE.sub("[]", selector))
        if not all(self.has_class(name) for name in _SELECTOR_CLASS.findall(plain)):
            return False
        plain = _PSEUDO.sub("", plain)
        return all(self.has_tag(name) for name in _SELECTOR_TYPE.findall(plain))


# ------------------------------------------------------------------ reading and writing CSS

@dataclass
class Rule:
    prelude: str  # selectors, or an at-rule kept whole ("@font-face", "@keyframes x")
    body: str


@dataclass
class Block:
    prelude: str  # "@media ..." or "@supports ..."
    children: list


@dataclass
class Statement:
    text: str  # "@charset ...", "@import ..."


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
    nodes, _ = _parse(css, 0)
    return nodes


def _skip_string(css: str, i: int) -> int:
    quote, i = css[i], i + 1
    while i < len(css) and css[i] != quote:
        i += 2 if css[i] == "\\" else 1
    return i + 1


def _parse(css: str, i: int) -> tuple[list, int]:
    nodes: list = []
    start = i
    while i < len(css):
        char = css[i]
        if char == "/" and css.startswith("/*", i):
            end = css.find("*/", i + 2)
            i = len(css) if end < 0 else end + 2
            start = i
        elif char in "\"'":
            i = _skip_string(css, i)
        elif char == "\\":
            i += 2
        elif char == ";":
            if css[start:i].strip():
                nodes.append(Statement(css[start:i].strip()))
            i = start = i + 1
        elif char == "}":
            return nodes, i + 1
        elif char == "{":
            prelude = css[start:i].strip()
            if _CUT_INSIDE.match(prelude):
                children, i = _parse(css, i + 1)
                nodes.append(Block(prelude, children))
            else:
                end = _matching_brace(css, i)
                nodes.append(Rule(prelude, css[i + 1:end]))
                i = end + 1
            start = i
        else:
            i += 1
    return nodes, i


def _matching_brace(css: str, i: int) -> int:
    depth = 0
    while i < len(css):
        char = css[i]
        if char in "\"'":
            i = _skip_string(css, i)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(css)


def serialize(nodes: list) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Rule):
            out.append(f"{node.prelude}{{{node.body}}}")
        elif isinstance(node, Block):
            out.append(f"{node.prelude}{{{serialize(node.children)}}}")
        else:
            out.append(node.text + ";")
    return "".join(out)


def _split_top_level(text: str, separator: str) -> list[str]:
    """Split on `separator` outside parentheses, brackets and strings."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        char = text[i]
        if char in "\"'":
            i = _skip_string(text, i)
            continue
        if char == "\\":
            i += 2
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return parts


def _outside_parentheses(selector: str) -> str:
    out, depth = [], 0
    for char in selector:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


# ------------------------------------------------------------------------------- trimming

def _drop_selectors(nodes: list, usage: Usage) -> list:
    kept = []
    for node in nodes:
        if isinstance(node, Rule) and not node.prelude.startswith("@"):
            selectors = [s for s in _split_top_level(node.prelude, ",")
                         if usage.can_match(s.strip())]
            if selectors:
                kept.append(Rule(",".join(selectors), node.body))
        elif isinstance(node, Block):
            children = _drop_selectors(node.children, usage)
            if children:
                kept.append(Block(node.prelude, children))
        else:
            kept.append(node)
    return kept


def _drop_variables(nodes: list, unused: set[str]) -> list:
    kept = []
    for node in nodes:
        if isinstance(node, Rule) and not node.prelude.startswith("@"):
            declarations = [d for d in _split_top_level(node.body, ";")
                            if d.split(":", 1)[0].strip() not in unused]
            if any(d.strip() for d in declarations):
                kept.append(Rule(node.prelude, ";".join(declarations)))
        elif isinstance(node, Block):
            children = _drop_variables(node.children, unused)
            if children:
                kept.append(Block(node.prelude, children))
        else:
            kept.append(node)
    return kept


def _defined_variables(nodes: list) -> set[str]:
    names = set()
    for node in nodes:
        if isinstance(node, Rule) and not node.prelude.startswith("@"):
            for declaration in _split_top_level(node.body, ";"):
                name = declaration.split(":", 1)[0].strip()
                if name.startswith("--"):
                    names.add(name)
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


def _repoint(pages: list[Path], renamed: dict[str, str], dropped: list[str]) -> None:
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
