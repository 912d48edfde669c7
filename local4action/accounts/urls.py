from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/data/", views.personal_data, name="personal_data"),
    path("profile/data/download/", views.personal_data_download, name="personal_data_download"),
    path("profile/data/delete/", views.account_delete, name="account_delete"),
    path("profile/api-tokens/", views.api_token_create, name="api_token_create"),
    path("profile/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/pending/", views.organization_pending, name="organization_pending"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization"),
    path("organizations/<slug:slug>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<slug:slug>/join/", views.organization_join, name="organization_join"),
    path(
        "organizations/<slug:slug>/decide/", views.organization_decide, name="organization_decide"
    ),
    path("memberships/<int:pk>/", views.membership_action, name="membership_action"),
]
