from . import maps, newsletter, opendata, pictures, seo, views

app_name = "portal"

# Each part keeps its own paths: views.py (home), maps.py, opendata.py, pictures.py (charts and
# embeds), newsletter.py, seo.py (sitemap, robots.txt).
urlpatterns = [
    *views.urlpatterns,
    *maps.urlpatterns,
    *opendata.urlpatterns,
    *pictures.urlpatterns,
    *newsletter.urlpatterns,
    *seo.urlpatterns,
]
