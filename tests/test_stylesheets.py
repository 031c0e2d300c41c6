"""Material's style sheets cut to what the help center uses: pages look exactly the same.

The build cuts material's main.css and palette.css, joins them with kbgen.css into one file
and points every page at it (kbgen/mkdocs_plugin/stylesheets.py). The browser test renders
pages of the sample help center in the light and dark schemes, in the states the scripts
create (navigation drawer, FAQ answers and the feedback reasons open, the search dialog with
results), and compares the computed style of every element and ::before/::after with what
material's full style sheets and kbgen.css give the same page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser_helpers import free_port, new_context, serve_directory

from kbgen.mkdocs_plugin.stylesheets import Usage, trim
from tests.conftest import MINIMAL_CONFIG, article_front, run_kbgen, write_article

REPO = Path(__file__).resolve().parent.parent
LINK = re.compile(r'<link rel="stylesheet" href="[./]*([^"]+)">')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("styles")
    shutil.copytree(REPO / "content", root / "content",
                    ignore=shutil.ignore_patterns("search-tests.yml"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = subprocess.run([sys.executable, "-m", "kbgen", "build"], cwd=root,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_every_page_links_one_cut_style_sheet(site):
    folder = site / "assets" / "stylesheets"
    cut = sorted(folder.glob("*.kb.min.css"))
    assert [p.name.split(".")[0] for p in cut] == ["main"]
    material = sum(p.stat().st_size for p in folder.glob("*.min.css") if ".kb." not in p.name)
    kbgen = (site / "assets" / "kbgen" / "kbgen.css").stat().st_size
    assert cut[0].stat().st_size < (material + kbgen) / 1.8  # 156 KB -> under 87 KB
    for page in [*site.rglob("index.html"), site / "404.html"]:
        links = LINK.findall(page.read_text(encoding="utf-8"))
        if links:  # redirect pages have no style sheet
            assert links == [f"assets/stylesheets/{cut[0].name}"], page


def test_rules_nothing_uses_are_left_out():
    usage = Usage()
    usage.add_page('<html><body data-md-color-scheme="slate" data-md-color-primary="indigo">'
                   '<div class="md-typeset note">x</div><script>x="used-by-script"</script>')
    usage.add_script('el.classList.add("md-tag--" + kind); el.classList.toggle("--active")')
    usage.finish()
    css = (":root{--md-used:1px;--md-unused:2px;--md-chain:var(--md-used)}"
           ".md-typeset{margin:var(--md-used)}.md-typeset .tabbed-set{color:red}"
           ".md-typeset:not(.md-missing) div, .md-missing div,.md-typeset p{padding:0}"
           ".used-by-script,.md-tag--new,.note--active,.other--active{color:blue}"
           "[data-md-color-primary=indigo]{color:#3f51b5}[data-md-color-primary=red]{color:red}"
           "@media screen{.md-missing{color:red}.note{color:green}}"
           "@keyframes spin{0%{opacity:0}to{opacity:1}}")
    cut = trim({"main.css": css}, usage)["main.css"]
    assert cut == (":root{--md-used:1px}.md-typeset{margin:var(--md-used)}"
                   ".md-typeset:not(.md-missing) div{padding:0}"
                   ".used-by-script,.md-tag--new,.note--active{color:blue}"
                   "[data-md-color-primary=indigo]{color:#3f51b5}"
                   "@media screen{.note{color:green}}"
                   "@keyframes spin{0%{opacity:0}to{opacity:1}}")


def test_hand_written_css_is_read_as_a_browser_reads_it():
    """Comments, strings and attribute values holding braces, commas and semicolons,
    whitespace and nested at-rules: what extra_css or a theme update may bring."""
    usage = Usage()
    usage.add_page('<html><body><div class="md-typeset">x</div><a href="#">y</a>')
    usage.finish()
    css = ("/* a comment with { braces } and .md-missing */\n"
           ".md-typeset ,\n  .md-missing a {\n  content: \"}, .md-missing {\";\n  color: red ; }\n"
           "a[title='a,b{c}'], .md-missing { margin: 0 }\n"
           "@supports (display: grid) {\n  @media screen {\n    .md-missing { color: red }\n"
           "    .md-typeset:is(.md-missing, a) { color: blue }\n  }\n}\n")
    cut = trim({"main.css": css}, usage)["main.css"]
    # Kept rules keep their values as written; the comment and the unused selectors go.
    assert cut == ('.md-typeset{content: "}, .md-missing {";color: red }'
                   "a[title=\"a,b{c}\"]{margin: 0 }"
                   "@supports (display: grid){@media screen{.md-typeset:is(.md-missing, a)"
                   "{color: blue }}}")


def test_a_colour_inside_not_is_not_required_to_exist():
    """`[data-md-color-primary=lime]:not([data-md-color-scheme=slate])` is how material gives
    a light scheme its link colour: it matches on a site without a slate scheme."""
    usage = Usage()
    usage.add_page('<html><body data-md-color-scheme="default" data-md-color-primary="lime">')
    usage.finish()
    css = ("[data-md-color-primary=lime]:not([data-md-color-scheme=slate]){color:#8b990a}"
           "[data-md-color-primary=lime][data-md-color-scheme=slate]{color:#fff}")
    cut = trim({"palette.css": css}, usage)["palette.css"]
    assert cut == "[data-md-color-primary=lime]:not([data-md-color-scheme=slate]){color:#8b990a}"


@pytest.mark.parametrize("extra, joined", [
    (".kb-extra{color:red}", True),
    (".kb-extra{background:url(stripes.png)}", False),  # would resolve against another folder
])
def test_extra_css_is_joined_in_order_unless_it_refers_to_files(make_site, extra, joined):
    root = make_site(MINIMAL_CONFIG + "extra_css:\n  - extra.css\n")
    (root / "content" / "extra.css").write_text(extra, encoding="utf-8")
    write_article(root, "billing/refunds.md", article_front("refunds"))
    result = run_kbgen("build", cwd=root)
    assert result.returncode == 0, result.stderr
    page = (root / "site" / "billing" / "refunds" / "index.html").read_text(encoding="utf-8")
    links = LINK.findall(page)
    cut = [name for name in links if name.endswith(".kb.min.css")]
    assert len(cut) == 1
    sheet = (root / "site" / cut[0]).read_text(encoding="utf-8")
    if joined:
        assert links == cut
        kbgen = (REPO / "theme" / "assets" / "kbgen" / "kbgen.css").read_text(encoding="utf-8")
        assert sheet.endswith(extra + kbgen)  # material's, then extra.css, then kbgen.css
    else:
        assert links == [cut[0], "extra.css", "assets/kbgen/kbgen.css"]
        assert ".kb-extra" not in sheet


# Computed styles of every element with the cut sheets, then with material's full sheets
# swapped in (same page, same state); returns the differences.
COMPARE = """async (full) => {
  const snapshot = () => {
    const out = [];
    for (const el of [document.documentElement, ...document.querySelectorAll(':not(link)')]) {
      for (const pseudo of [null, '::before', '::after']) {
        const cs = getComputedStyle(el, pseudo);
        if (pseudo && cs.content === 'none') continue;
        const values = {};
        for (const name of cs) if (!name.startsWith('--')) values[name] = cs.getPropertyValue(name);
        out.push([el, pseudo, values]);
      }
    }
    return out;
  };
  const cut = [...document.querySelectorAll('link[rel=stylesheet]')];
  const before = snapshot();
  const added = await Promise.all(full.map(href => new Promise((resolve, reject) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet'; link.href = href;
    link.onload = () => resolve(link); link.onerror = reject;
    cut[0].before(link);
  })));
  cut.forEach(link => { link.sheet.disabled = true; });
  const after = snapshot();
  cut.forEach(link => { link.sheet.disabled = false; });
  added.forEach(link => link.remove());
  const again = snapshot();  // a change made by a script meanwhile is not the sheets' doing
  if (before.length !== after.length || before.length !== again.length) {
    return [`${before.length}, ${after.length}, ${again.length} boxes`];
  }
  const differences = [];
  before.forEach(([el, pseudo, values], i) => {
    for (const [name, value] of Object.entries(values)) {
      const stable = again[i][2][name] === value;
      if (stable && after[i][2][name] !== value && differences.length < 20) {
        const what = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ').join('.') : '');
        differences.push(`${what}${pseudo || ''} ${name}: cut ${value}, full ${after[i][2][name]}`);
      }
    }
  });
  return differences;
}"""

STATES = {
    "home": ("", None),
    "article": ("payments/refunds/", None),
    "article with notes": ("invoices/payment-reminders/", None),
    "faq with answers and reasons open": ("billing/billing-faq/", "open"),
    "navigation drawer": ("payments/refunds/", "drawer"),
    "header search with results": ("payments/refunds/", "search"),
    "search page with results": ("search/?q=refund", None),
    "contact": ("contact/", None),
    "404": ("404.html", None),
}


@pytest.fixture(scope="module")
def site_url(site):
    with serve_directory(site, free_port()) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [412, 1400])
def test_pages_look_the_same_as_with_materials_full_style_sheets(browser, site, site_url,
                                                                 scheme, width):
    folder = site / "assets" / "stylesheets"
    material = {p.name.split(".")[0]: p.name for p in folder.glob("*.min.css")
                if ".kb." not in p.name}
    full = [f"/assets/stylesheets/{material['main']}", f"/assets/stylesheets/{material['palette']}",
            "/assets/kbgen/kbgen.css"]
    # Reduced motion: material then has no transitions, so no style is caught half-way.
    context = new_context(browser, "styles", color_scheme=scheme, reduced_motion="reduce",
                          viewport={"width": width, "height": 900})
    problems = []
    for state, (path, action) in STATES.items():
        tab = context.new_page()
        tab.goto(site_url + path)
        tab.wait_for_load_state("networkidle")
        if action == "open":
            tab.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            widget = tab.locator("[data-kb-feedback]")
            widget.get_by_role("button", name="No", exact=True).click()  # "contact us" state
            widget.locator("[data-kb-feedback-contact]").wait_for()
            # The reasons (shown after No when a help API is configured, not in this build).
            tab.evaluate("document.querySelector('[data-kb-reasons]').hidden = false")
        elif action == "drawer":
            tab.evaluate("document.getElementById('__drawer').checked = true")
        elif action == "search":
            tab.keyboard.press("/")
            tab.keyboard.type("refund")
            tab.get_by_role("option").first.wait_for()
        tab.wait_for_timeout(300)  # status messages and scroll-linked classes settle
        differences = tab.evaluate(COMPARE, full)
        problems += [f"{state}: {line}" for line in differences]
        tab.close()
    context.close()
    assert not problems, "\n".join(problems)
