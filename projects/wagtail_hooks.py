from wagtail.snippets.models import register_snippet

from .viewsets import ReferenceListsGroup

register_snippet(ReferenceListsGroup)
