"""The search box of the admin's snippet listings: words matched in named fields.

Wagtail sends an indexed model's listing search to the search backend with the
viewset's `search_fields`, and that failed in three ways: a field the model does not
index (Resource's `doi`) is a SearchFieldError, a long query is a RecursionError in
the query parser, and quotes or operators reach SQLite's FTS5 syntax. Editors look
for a row they know, so the listings match each word of the query, as a substring of
any of the fields, in the database: every word must match somewhere. Punctuation
separates words and never reaches a parser.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import and_, or_

from django.db.models import Q, QuerySet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

MAX_WORDS = 10
MAX_WORD_LENGTH = 100


def query_words(query: str) -> list[str]:
    """The words of `query`, at most MAX_WORDS of them, each cut to MAX_WORD_LENGTH."""
    return [word[:MAX_WORD_LENGTH] for word in re.findall(r"\w+", query)[:MAX_WORDS]]


def words_filter(fields: list[str], query: str) -> Q | None:
    """Every word in at least one of `fields`; None when the query has no words."""
    words = query_words(query)
    if not words or not fields:
        return None
    return reduce(
        and_,
        (reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields)) for word in words),
    )


class WordSearchIndexView(IndexView):
    def search_queryset(self, queryset: QuerySet) -> QuerySet:
        if not self.is_searching:
            return queryset
        condition = words_filter(self.search_fields or [], self.search_query)
        if condition is None:
            return queryset.none()
        found = queryset.filter(condition)
        return found.distinct() if any("__" in f for f in self.search_fields) else found


class WordSearchViewSet(SnippetViewSet):
    """A snippet viewset whose listing search is `WordSearchIndexView`'s."""

    index_view_class = WordSearchIndexView
    search_backend_name = None
