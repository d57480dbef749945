"""The app's models, re-exported here: Django loads the `projects` app's models from this
package, and everything else imports them from it.

The page tree (`pages`), reference lists (`snippets`), images (`images`) and department
membership (`departments`, which scopes editors and routed feedback alike) live here; residents'
feedback and the editors' tools keep theirs in their feature packages (`projects.feedback.models`,
`projects.editorial.models`).
"""

from ..editorial.models import ImportBatch, ImportLayout, ItemCollection
from ..feedback.models import Feedback, FeedbackPhoto
from ..follow.models import Follow, Subscriber
from .departments import DepartmentMember
from .images import PortalImage, PortalRendition
from .pages import (
    ProgressUpdatePage,
    ProjectGalleryImage,
    ProjectIndexPage,
    ProjectMilestone,
    ProjectPage,
    ProjectTag,
    UpdatePhoto,
)
from .snippets import Category, Department, District, SearchSynonym

__all__ = [
    "Category",
    "Department",
    "DepartmentMember",
    "District",
    "Feedback",
    "FeedbackPhoto",
    "Follow",
    "ImportBatch",
    "ImportLayout",
    "ItemCollection",
    "PortalImage",
    "PortalRendition",
    "ProgressUpdatePage",
    "ProjectGalleryImage",
    "ProjectIndexPage",
    "ProjectMilestone",
    "ProjectPage",
    "ProjectTag",
    "SearchSynonym",
    "Subscriber",
    "UpdatePhoto",
]
