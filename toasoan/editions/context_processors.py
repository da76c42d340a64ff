from django.utils.functional import SimpleLazyObject

from . import editions
from .paper import paper_for


def edition(request):
    """`edition` (the language being served) and `paper` (its masthead: name, tagline…)."""
    return {
        "edition": SimpleLazyObject(editions.current),
        "paper": SimpleLazyObject(lambda: paper_for(request)),
    }
