from . import editing, review, views

app_name = "library"

# Each view module adds its own patterns: views.py (public pages), editing.py (writing a
# resource), review.py (the secretariat's review and collections). The public ones come first:
# their fixed addresses (collections/…, files/…) must win over a resource's slug.
urlpatterns = [
    *views.urlpatterns,
    *editing.urlpatterns,
    *review.urlpatterns,
]
