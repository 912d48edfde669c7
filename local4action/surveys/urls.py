from django.urls import path  # noqa: F401 — each part below adds its paths

from . import answering, builder, results

app_name = "surveys"

urlpatterns = [
    # Answering (answering.py)
    path("surveys/", answering.survey_list, name="list"),
    path("surveys/<slug:slug>/", answering.survey_detail, name="detail"),
    path("surveys/<slug:slug>/page/<int:number>/", answering.survey_page, name="page"),
    path("surveys/<slug:slug>/done/", answering.survey_done, name="done"),
    # Building surveys, invitations (builder.py)
    path("manage/surveys/", builder.manage, name="manage"),
    path("manage/surveys/new/", builder.create, name="create"),
    path("manage/surveys/event-feedback/", builder.event_feedback, name="event_feedback"),
    path("manage/surveys/<slug:slug>/", builder.structure, name="structure"),
    path("manage/surveys/<slug:slug>/edit/", builder.edit, name="edit"),
    path("manage/surveys/<slug:slug>/pages/", builder.page_add, name="page_add"),
    path("manage/surveys/<slug:slug>/questions/", builder.question_add, name="question_add"),
    path("manage/surveys/<slug:slug>/reorder/", builder.reorder, name="reorder"),
    path("manage/surveys/<slug:slug>/publish/", builder.publish, name="publish"),
    path("manage/surveys/<slug:slug>/invite/", builder.invite, name="invite"),
    path("manage/questions/<int:pk>/", builder.question_edit, name="question_edit"),
    path("manage/questions/<int:pk>/move/", builder.question_move, name="question_move"),
    path("manage/questions/<int:pk>/delete/", builder.question_delete, name="question_delete"),
    # Results and exports (results.py)
    path("surveys/<slug:slug>/results/", results.results, name="results"),
    path(
        "surveys/<slug:slug>/results/<slug:key>/answers/",
        results.text_answers,
        name="text_answers",
    ),
    path("surveys/<slug:slug>/export.csv", results.export_csv, name="export_csv"),
    path("surveys/<slug:slug>/export.xlsx", results.export_xlsx, name="export_xlsx"),
    path("surveys/<slug:slug>/results.json", results.open_data, name="open_data"),
]
