from django.urls import path

from . import views

urlpatterns = [
    path("", views.follow, name="follow"),
    path("sent/", views.sent, name="follow_sent"),
    path("confirm/<str:token>/", views.confirmed, name="follow_confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="follow_unsubscribe"),
]
