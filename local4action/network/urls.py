from . import related, views

app_name = "network"

# related.py: related initiatives; views.py: connections, offers and needs, the picture.
urlpatterns = [*related.urlpatterns, *views.urlpatterns]
