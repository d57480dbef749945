"""Admin URLs of the editors' tools, mounted under /admin/editorial/ (namespace "editorial")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index_view, name="index"),
    path("import/items/", views.import_items_view, name="import_items"),
    path("import/progress/", views.import_progress_view, name="import_progress"),
    path("import/<int:pk>/approve/", views.approve_import, name="approve_import"),
    path("template/<slug:kind>.xlsx", views.template_download, name="template"),
    path("export/<int:year>.<slug:fmt>", views.export_year, name="export_year"),
    path("report/", views.monthly_report_view, name="monthly_report"),
]
