app_name = "workplan"

# Each view module adds its own patterns (views.py, importing.py, evaluation.py).
urlpatterns = []
