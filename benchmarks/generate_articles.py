"""Generate a realistic synthetic help center for scale benchmarks.

    .venv/bin/python benchmarks/generate_articles.py OUT_DIR --count 5000 [--seed 8]

Writes OUT_DIR/content/<category>/<id>.md (about 20 categories, each with a _category.yml)
and OUT_DIR/mkdocs.yml with the kbgen plugin. Every article has SPEC front matter (id, title,
description, type with some faq and troubleshooting pages, keywords, journey, owner, reviewed,
related) and a 200-900 word body with headings, lists, tables, admonitions and internal links
whose anchors exist, so `kbgen check` passes. Output is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

CATEGORIES = [
    ("getting-started", "Getting started"), ("account", "Your account"),
    ("billing", "Plans and billing"), ("invoices", "Invoices"), ("payments", "Payments"),
    ("expenses", "Expenses"), ("reports", "Reports"), ("taxes", "Taxes"),
    ("clients", "Clients"), ("projects", "Projects"), ("time-tracking", "Time tracking"),
    ("team", "Team and permissions"), ("integrations", "Integrations"),
    ("bank-feeds", "Bank feeds"), ("mobile", "Mobile apps"), ("security", "Security"),
    ("data", "Import and export"), ("notifications", "Notifications"),
    ("api", "Developer API"), ("troubleshooting", "Troubleshooting"),
]
OBJECTS = ["invoice", "estimate", "client", "payment", "expense", "receipt", "project",
           "report", "tax rate", "bank account", "card", "reminder", "template", "workspace",
           "team member", "timesheet", "credit note", "product", "discount", "currency",
           "webhook", "API key", "recurring invoice", "deposit", "refund", "payout",
           "statement", "category", "vendor", "mileage entry"]
VERBS = ["Create", "Edit", "Delete", "Export", "Import", "Share", "Archive", "Restore",
         "Duplicate", "Schedule", "Approve", "Customize", "Reconcile", "Send", "Merge",
         "Split", "Lock", "Tag", "Filter", "Print"]
PROBLEMS = ["is not syncing", "shows the wrong total", "was declined", "is missing",
            "cannot be sent", "shows an error", "appears twice", "will not load",
            "has the wrong date", "is stuck as pending"]
WORDS = ("account setting option screen menu button field value total amount balance date "
         "client customer team owner admin plan workspace device browser email address "
         "number currency rate tax line item period month week status list report export "
         "file page link message notice change update version limit history record").split()
JOURNEYS = ["awareness", "research", "purchase", "use", "use", "use", "advocacy"]
OWNERS = ["maria.lopez", "tom.nguyen", "amina.diallo", "lars.berg", "yuki.sato",
          "priya.shah", "jon.fischer", "eva.novak"]
ADMONITIONS = ["note", "tip", "warning", "info"]


@dataclass
class Plan:
    id: str
    title: str
    category: str
    kind: str
    headings: list[str] = field(default_factory=list)

    @property
    def src(self) -> str:
        return f"{self.category}/{self.id}.md"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def plan_articles(count: int, rng: random.Random) -> list[Plan]:
    plans: list[Plan] = []
    used: set[str] = set()
    for number in range(count):
        category = CATEGORIES[number % len(CATEGORIES)][0]
        roll = rng.random()
        obj = rng.choice(OBJECTS)
        if roll < 0.1:
            kind, title = "faq", f"{obj.capitalize()} questions"
        elif roll < 0.3:
            kind, title = "troubleshooting", f"The {obj} {rng.choice(PROBLEMS)}"
        else:
            kind, title = "article", f"{rng.choice(VERBS)} a {obj}"
        title = f"{title} ({CATEGORIES[number % len(CATEGORIES)][1].lower()})"
        base = slug(title)
        ident, n = base, 1
        while ident in used:
            n += 1
            ident = f"{base}-{n}"
        used.add(ident)
        plan = Plan(ident, title, category, kind)
        sections = rng.randint(3, 6)
        if kind == "faq":
            plan.headings = [f"How do I {rng.choice(VERBS).lower()} a {rng.choice(OBJECTS)} "
                             f"number {i + 1}?" for i in range(sections + 2)]
        elif kind == "troubleshooting":
            plan.headings = ["Symptoms", "Check the basics", "Fix it step by step",
                             "Still not working"][: max(3, sections - 1)]
        else:
            plan.headings = ["Before you start", "Steps", "Options", "Limits",
                             "Good to know", "Examples"][:sections]
        plans.append(plan)
    return plans


STOP = ("the a to and of in you your for is on it that with can this are be or if from as "
        "at by when an not we use then").split()
# Each category talks about its own things: a few hundred made-up topic words per category
# (product names, settings, error codes) on top of shared words, so word frequencies look like
# a real help center's (a few very common words, a long tail of rare ones).
TOPIC_SYLLABLES = "ka lo mi ter van sol dex rin po tal mer gis nu bra fel cor".split()


def topic_words(category: str) -> list[str]:
    rng = random.Random(category)
    return ["".join(rng.choice(TOPIC_SYLLABLES) for _ in range(rng.randint(2, 3)))
            for _ in range(300)]


TOPICS = {slug_: topic_words(slug_) for slug_, _ in CATEGORIES}


def sentence(rng: random.Random, words: int, category: str = "") -> str:
    topic = TOPICS.get(category) or TOPICS["account"]
    picked = []
    for _ in range(words):
        roll = rng.random()
        if roll < 0.45:
            picked.append(rng.choice(STOP))
        elif roll < 0.8:
            picked.append(rng.choice(WORDS))
        elif roll < 0.9:
            picked.append(rng.choice(topic))
        else:  # a few topic words are much commoner than the rest
            picked.append(topic[min(len(topic) - 1, int(rng.paretovariate(1.2)) - 1)])
    return " ".join(picked).capitalize() + "."


def paragraph(rng: random.Random, target: int, category: str) -> tuple[str, int]:
    out, used = [], 0
    while used < target:
        n = rng.randint(8, 18)
        out.append(sentence(rng, n, category))
        used += n
    return " ".join(out), used


def link_to(source: Plan, target: Plan, rng: random.Random) -> str:
    rel = (f"{target.id}.md" if target.category == source.category
           else f"../{target.category}/{target.id}.md")
    if rng.random() < 0.5:
        rel += "#" + slug(rng.choice(target.headings))
    return f"[{target.title}]({rel})"


def body(plan: Plan, plans: list[Plan], rng: random.Random) -> str:
    budget = rng.randint(200, 900)
    parts: list[str] = []
    intro, used = paragraph(rng, min(60, budget // 4), plan.category)
    parts.append(intro + f" See also {link_to(plan, rng.choice(plans), rng)}.")
    per_section = max(16, (budget - used) // len(plan.headings) - 30)  # 30: list/table
    for number, heading in enumerate(plan.headings):
        parts.append(f"## {heading}")
        text, n = paragraph(rng, per_section // 2, plan.category)
        parts.append(text)
        style = (number + rng.randint(0, 3)) % 4
        if style == 0:
            parts.append("\n".join(
                f"{i}. Select **{rng.choice(WORDS).capitalize()}**, then "
                f"{rng.choice(WORDS)} the {rng.choice(OBJECTS)}." for i in range(1, 5)))
        elif style == 1:
            rows = ["| Plan | Limit | Notes |", "|---|---|---|"]
            rows += [f"| {p} | {rng.randint(1, 500)} | {sentence(rng, 5, plan.category)} |"
                     for p in ("Free", "Pro", "Business")]
            parts.append("\n".join(rows))
        elif style == 2:
            kind = rng.choice(ADMONITIONS)
            text = sentence(rng, 14, plan.category)
            parts.append(f'!!! {kind} "{kind.capitalize()}"\n    {text} '
                         f"{link_to(plan, rng.choice(plans), rng)}")
        else:
            parts.append("\n".join(f"- {sentence(rng, rng.randint(4, 9), plan.category)}"
                                   for _ in range(4)))
        more, _ = paragraph(rng, per_section // 2, plan.category)
        parts.append(more)
    return "\n\n".join(parts) + "\n"


def front_matter(plan: Plan, plans: list[Plan], rng: random.Random) -> str:
    related = rng.sample([p.id for p in plans if p.id != plan.id], k=min(3, len(plans) - 1))
    reviewed = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
    keywords = [f"{rng.choice(VERBS).lower()} {rng.choice(OBJECTS)}" for _ in range(3)]
    return (
        "---\n"
        f"id: {plan.id}\n"
        f"title: \"{plan.title}\"\n"
        f"description: \"{sentence(rng, rng.randint(10, 18), plan.category)}\"\n"
        f"type: {plan.kind}\n"
        f"keywords: [{', '.join(keywords)}]\n"
        f"journey: {rng.choice(JOURNEYS)}\n"
        f"owner: {rng.choice(OWNERS)}\n"
        f"reviewed: {reviewed.isoformat()}\n"
        f"related: [{', '.join(related)}]\n"
        "---\n\n"
    )


MKDOCS_YML = """site_name: Scale Test Help Center
site_url: https://help.example.test/
docs_dir: content
site_dir: site
theme:
  name: material
  font: false
plugins:
  # kbgen's own search replaces mkdocs-material's lunr `search` plugin.
  - kbgen
markdown_extensions:
  - toc:
      permalink: true
  - admonition
  - attr_list
  - md_in_html
  - tables
  - pymdownx.details
  - pymdownx.superfences
"""


def generate(out: Path, count: int, seed: int = 8) -> list[Plan]:
    """Write the help center into `out` (its content/ folder is replaced)."""
    rng = random.Random(seed)
    plans = plan_articles(count, rng)
    content = out / "content"
    shutil.rmtree(content, ignore_errors=True)
    for order, (cat, title) in enumerate(CATEGORIES, 1):
        (content / cat).mkdir(parents=True, exist_ok=True)
        (content / cat / "_category.yml").write_text(
            f"title: {title}\ndescription: Help with {title.lower()}.\norder: {order}\n",
            encoding="utf-8")
    for plan in plans:
        text = front_matter(plan, plans, rng) + body(plan, plans, rng)
        (content / plan.src).write_text(text, encoding="utf-8")
    (out / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    plans = generate(args.out, args.count, args.seed)
    print(f"Wrote {len(plans)} articles to {args.out / 'content'}")


if __name__ == "__main__":
    main()
