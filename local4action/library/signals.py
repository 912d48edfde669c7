"""Filled in by the services helper: keep search_text and relations in step."""


def connect() -> None:
    pass
