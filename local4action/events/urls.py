from . import board, pages, participants, registering

app_name = "events"

# Each part keeps its own paths: pages.py (events, agenda, calendars, organizing),
# registering.py (registration, invitations, sponsorship requests), participants.py (the
# organizers' lists, decisions, exports, check-in), board.py (co-creation boards, billboards).
urlpatterns = [
    *pages.urlpatterns,
    *registering.urlpatterns,
    *participants.urlpatterns,
    *board.urlpatterns,
]
