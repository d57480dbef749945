from .departments import DepartmentMember
from .feedback import Feedback, FeedbackPhoto
from .images import ItemCollection, PortalImage, PortalRendition
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
    "UpdatePhoto",
]
