from . import evaluation, importing, views

app_name = "workplan"

# Each view module keeps its own paths: views.py (plans, actions, bulk updates), importing.py
# (import and re-import of documents), evaluation.py (evaluation, report, spreadsheet).
urlpatterns = [
    *views.urlpatterns,
    *importing.urlpatterns,
    *evaluation.urlpatterns,
]
