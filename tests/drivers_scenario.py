"""A small hand-written help center and a month of contacts for the contact-drivers tests.

Four articles; customers contact support about three things:
- refunds (failing): they read "Get a refund", said No, and wrote anyway;
- exporting data (unfound): "Export your data" answers it, other customers reached it by
  searching, but these searched, saw results and opened none;
- deleting an account (gap): no article; searches found nothing. Their subjects are hostile
  (markup, ANSI escapes, a Markdown link), which every output must show as inert text.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

ARTICLES = {
    "billing/refunds.md": ("refunds", "Get a refund",
                           "How to ask for your money back after a purchase.",
                           ["money back", "reimbursement"]),
    "account/reset-password.md": ("reset-password", "Reset your password",
                                  "Choose a new password when you forgot the old one.",
                                  ["forgot password", "login"]),
    "data/export-data.md": ("export-data", "Export your data",
                            "Download your records as a CSV file for spreadsheets.",
                            ["csv", "download"]),
    "account/two-factor.md": ("two-factor", "Turn on two-step verification",
                              "Protect your sign in with a code from your phone.",
                              ["2fa", "authenticator"]),
}
FAILING = ["My refund never arrived", "Refund still not received after two weeks",
           "Where is my refund? It has not arrived"]
UNFOUND = ["How do I download my data as a spreadsheet?",
           "Download all my records to a CSV spreadsheet",
           "Can I download my records to a spreadsheet file?"]
HOSTILE = ["<script>alert(1)</script> delete my account permanently",
           "\x1b[2J\x1b[31mDelete my account permanently please\u202e",
           "[delete my account](javascript:alert(2)) permanently"]
SINCE, UNTIL = "2026-11-01", "2026-12-01"


def write_help_center(root: Path, semantic: str = "auto") -> Path:
    for rel, (article_id, title, description, keywords) in ARTICLES.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\nid: {article_id}\ntitle: {title}\ndescription: {description}\n"
            f"keywords: [{', '.join(keywords)}]\n---\n\n{description}\n\n## Steps\n\n"
            "Open Settings and follow the steps.\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        "site_name: Pennant Help\ndocs_dir: content\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - kbgen:\n      contact_url: mailto:support@example.com\n"
        f"      semantic_search: {semantic}\n", encoding="utf-8")
    return config


def _at(day: int, minute: int) -> str:
    return f"2026-11-{day:02d}T10:{minute:02d}:00Z"


def write_contacts(root: Path) -> tuple[Path, Path]:
    """events.jsonl and tickets.csv (Zendesk columns, with a Description); returns both."""
    events, tickets = [], []
    n = 0

    def ev(kind: str, session: str, day: int, minute: int, **fields) -> None:
        nonlocal n
        n += 1
        events.append({"id": f"ev-{n:05d}", "type": kind, "session": session,
                       "ts": _at(day, minute), **fields})

    def ticket(kind: str, i: int, session: str, day: int, subject: str) -> None:
        ev("contact", session, day, 5, stage="submit")
        tickets.append({"Id": f"{kind}-{i}", "Created at": f"2026-11-{day:02d} 10:06:00",
                        "Subject": subject, "Description": "", "kb_session": session})

    for i in range(6):  # failing: read the article, said No, wrote anyway
        s = f"s-fail-{i}"
        ev("view", s, 3 + i, 0, article="refunds")
        ev("vote", s, 3 + i, 1, article="refunds", helpful=False, reason="incomplete",
           comment="It does not say when the refund arrives")
        ticket("fail", i, s, 3 + i, FAILING[i % 3])
    for i in range(6):  # unfound: searched, saw results, opened none
        s = f"s-unfound-{i}"
        ev("search", s, 3 + i, 0, query=UNFOUND[i % 3].rstrip("?").lower(), results=4,
           source="site")
        ticket("unfound", i, s, 3 + i, UNFOUND[i % 3])
    for i in range(6):  # gap: searched and found nothing
        s = f"s-gap-{i}"
        ev("search", s, 10 + i, 0, query="delete account", results=0, source="site")
        ticket("gap", i, s, 10 + i, HOSTILE[i % 3])
    for i in range(12):  # self-service that worked, the queries that lead to each article
        for article_id, query in (("export-data", UNFOUND[i % 3].rstrip("?").lower()),
                                  ("refunds", "refund not arrived"),
                                  ("reset-password", "forgot my password")):
            s = f"s-ok-{article_id}-{i}"
            ev("search", s, 1 + i, 0, query=query, results=3, source="site")
            ev("search_click", s, 1 + i, 1, query=query, article=article_id, rank=1)
            ev("view", s, 1 + i, 1, article=article_id)
    # last month: one refund ticket (the trend)
    tickets.append({"Id": "prev-0", "Created at": "2026-10-20 09:00:00",
                    "Subject": FAILING[0], "Description": "", "kb_session": "s-prev-0"})
    events_file, tickets_file = root / "events.jsonl", root / "tickets.csv"
    events_file.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    with tickets_file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["Id", "Created at", "Subject", "Description",
                                                    "kb_session"])
        writer.writeheader()
        writer.writerows(tickets)
    return events_file, tickets_file
