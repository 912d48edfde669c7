app_name = "library"

# Each view module adds its own patterns.
urlpatterns = []
