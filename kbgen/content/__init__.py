"""The content model: articles, categories and their problems. Never imports MkDocs."""

from kbgen.content.article import Article, FaqEntry, Heading
from kbgen.content.loader import load_content
from kbgen.content.problems import Problem, errors_in
from kbgen.content.site import Category, ContentSite

__all__ = [
    "Article", "Category", "ContentSite", "FaqEntry", "Heading", "Problem",
    "errors_in", "load_content",
]
