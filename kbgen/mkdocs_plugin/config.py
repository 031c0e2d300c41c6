"""Options of the `kbgen` plugin in mkdocs.yml."""

from mkdocs.config import base
from mkdocs.config import config_options as c


class KbgenConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off (e.g. to build a plain mkdocs-material site from the same files)."""

    # Content
    drafts = c.Type(bool, default=False)
    """Build articles with `status: draft` too (`kbgen build --drafts` sets it)."""
    strict = c.Type(bool, default=False)
    """Treat content warnings (overdue reviews, unknown keys) as errors."""

    # Feedback and contact
    api_url = c.Type(str, default="")
    """Base URL of the help API (`kbgen api`); empty means feedback is not sent anywhere."""
    contact_url = c.Type(str, default="mailto:support@example.com")
    """Where "Contact support" hands off: a mailto: address or a helpdesk form URL."""
    contact = c.Type(dict, default={})
    """The helpdesk preset that carries the session and article in the helpdesk's own fields:
    `{helpdesk: email | zendesk | freshdesk | helpscout, url, ...}` (kbgen/contact_handoff.py)."""
    nps = c.Type(dict, default={})
    """The optional NPS question: `{enabled: true, sample: 0.1, after: helpful_vote | vote,
    question}`; off by default."""
    allowed_origins = c.ListOfItems(c.Type(str), default=[])
    """Extra origins the help API accepts events from (site_url's origin is always allowed)."""
    trusted_proxies = c.ListOfItems(c.Type(str), default=[])
    """IPs or networks of reverse proxies whose X-Forwarded-For the help API believes."""
    rate_limit = c.Type(int, default=600)
    """Events per minute per client the help API accepts (burst: half of it); 0 turns it off."""

    # Home and article pages
    popular = c.ListOfItems(c.Type(str), default=[])
    """Article ids shown as popular on the home page and their category's page (default: most
    deflected, stats_file; else the most linked articles, on the home page only)."""
    list_count = c.Type(int, default=6)
    """How many popular and recent articles the home page lists."""
    related_count = c.Type(int, default=5)
    """How many related articles an article page lists."""
    footer_credit = c.Type(bool, default=False)
    """Keep mkdocs-material's "Made with Material for MkDocs" in the footer."""

    # Search
    semantic_search = c.Type((str, bool), default="auto")
    """The optional semantic re-ranker (`kbgen.search.semantic`): auto (on when its model is
    installed), on (the build fails without it), off, or a sentence-transformers BERT model
    folder (relative to mkdocs.yml). YAML reads unquoted on/off as true/false: both work."""

    # Analytics fed back into the site (`kbgen stats export`)
    stats_file = c.Type(str, default="")
    """Stats JSON from `kbgen stats export`, relative to mkdocs.yml; empty: not used."""
    helpful_threshold = c.Type(int, default=10)
    """Votes an article needs before its page shows "N of M found this helpful"."""
    review_csat_below = c.Type((int, float), default=0.5)
    """`kbgen check` warns about articles whose CSAT lower bound is below this."""

    # Owners are told (`kbgen notify`; docs/loop.md)
    notify = c.ListOfItems(c.Type(dict), default=[])
    """Where `kbgen notify` sends each owner's digest: a list of `{owner, webhook | email,
    format, secret, timeout}` entries; `owner: "*"` gets every article's news. The build
    ignores it; `kbgen notify` checks it."""
