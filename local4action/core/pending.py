"""Work waiting for a person's confirmation, kept in their session (a preview before an
import is saved): nothing reaches the database until they confirm. Each entry lives under a
random token for some hours, belongs to the person who made it, and is for one target (an
indicator, a plan…); a new entry for the same target replaces the previous one."""

import secrets
import time

PENDING_SECONDS = 6 * 3600


class Pending:
    def __init__(self, session_key: str, seconds: int = PENDING_SECONDS):
        self.session_key = session_key
        self.seconds = seconds

    def _entries(self, request) -> dict:
        now = time.time()
        return {
            token: entry
            for token, entry in request.session.get(self.session_key, {}).items()
            if now - entry["created"] < self.seconds
        }

    def keep(self, request, *, target, **data) -> str:
        """Store `data` (JSON-serializable: the session's format) and return its token."""
        entries = {t: e for t, e in self._entries(request).items() if e["target"] != target}
        token = secrets.token_urlsafe(16)
        entries[token] = {
            "target": target,
            "user": request.user.pk,
            "created": time.time(),
            **data,
        }
        request.session[self.session_key] = entries
        return token

    def get(self, request, token: str, target) -> dict | None:
        """The entry, if it exists, has not expired, and is this person's for this target."""
        entry = self._entries(request).get(token)
        if entry is None or entry["target"] != target or entry["user"] != request.user.pk:
            return None
        return entry

    def drop(self, request, token: str) -> None:
        entries = self._entries(request)
        entries.pop(token, None)
        request.session[self.session_key] = entries
