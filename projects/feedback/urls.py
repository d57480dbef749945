from django.urls import path

from . import views

urlpatterns = [
    path("form-tokens/", views.form_tokens, name="feedback_form_tokens"),
    path("new/<int:page_id>/", views.leave_feedback, name="feedback_new"),
    path("rate/<int:page_id>/", views.rate_item, name="feedback_rate"),
    path("track/", views.track, name="feedback_track"),
    path("<str:code>/", views.feedback_status, name="feedback_status"),
    path("<str:code>/photos/<int:pk>/", views.own_photo, name="feedback_own_photo"),
]
