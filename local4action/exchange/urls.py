from . import moderation, views

app_name = "exchange"

# views.py: threads and messages; moderation.py: reports and the staff's moderation.
urlpatterns = [*views.urlpatterns, *moderation.urlpatterns]
