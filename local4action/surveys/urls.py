from django.urls import path  # noqa: F401 — each part below adds its paths

app_name = "surveys"

urlpatterns = [
    # Answering (answering.py)
    # Building surveys, invitations (builder.py)
    # Results and exports (results.py)
]
