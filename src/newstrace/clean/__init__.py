"""Clean: the article body only, every removal recorded with its reason."""

from newstrace.clean.documents import clean_documents, clean_html

__all__ = ["clean_documents", "clean_html"]
