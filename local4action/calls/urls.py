from django.urls import path

from . import exports, views

app_name = "calls"

urlpatterns = [
    path("calls/", views.call_list, name="list"),
    path("calls/new/", views.call_create, name="create"),
    path("calls/<slug:slug>/", views.call_detail, name="detail"),
    path("calls/<slug:slug>/edit/", views.call_edit, name="edit"),
    path("calls/<slug:slug>/status/", views.call_status, name="status"),
    path("calls/<slug:slug>/publish/", views.call_publish, name="publish"),
    path("calls/<slug:slug>/apply/", views.application_start, name="apply"),
    path("calls/<slug:slug>/applications/", views.call_applications, name="applications"),
    path("calls/<slug:slug>/ranking/", views.call_ranking, name="ranking"),
    path("calls/<slug:slug>/auto-assign/", views.auto_assign, name="auto_assign"),
    path("calls/<slug:slug>/results/", views.call_results, name="results"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/autosave/", views.application_autosave, name="autosave"),
    path("applications/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/shortlist/", views.application_shortlist, name="shortlist"),
    path("applications/<int:pk>/assign/", views.review_assign, name="assign"),
    path("applications/<int:pk>/decide/", views.application_decide, name="decide"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", views.review_edit, name="review"),
    path("reviews/<int:pk>/conflict/", views.review_conflict, name="review_conflict"),
    path("calls/<slug:slug>/export.csv", exports.export_csv, name="export_csv"),
    path("calls/<slug:slug>/export.xlsx", exports.export_xlsx, name="export_xlsx"),
]
