"""Clean: the article body only, every removal recorded with its reason."""

from newstrace.clean.documents import clean_documents
from newstrace.clean.html import clean_html
from newstrace.clean.text import clean_text

__all__ = ["clean_documents", "clean_html", "clean_text"]
