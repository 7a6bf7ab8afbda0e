from django.urls import path

from reports import views

urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("<uuid:report_id>/", views.report_detail, name="report-detail"),
    path("<uuid:report_id>/download/", views.report_download, name="report-download"),
]
