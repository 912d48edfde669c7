"""The error answers every operation can give, added to the OpenAPI document.

They come from the exception handlers in api.py and from django-ninja itself, not from the
operations, so the operations do not declare them: without this the document promised only
the success answer, and a client (or a fuzzer) could not tell a documented refusal from a bug.
An operation that declares one of these codes itself keeps its own declaration."""

from copy import deepcopy

ERROR = "ApiError"
INVALID_INPUT = "ApiInvalidInput"

COMPONENTS = {
    ERROR: {
        "title": ERROR,
        "type": "object",
        "properties": {
            "detail": {
                "title": "Detail",
                "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            },
            "fields": {
                "title": "Fields",
                "description": "Messages by field.",
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
        "required": ["detail"],
    },
    INVALID_INPUT: {
        "title": INVALID_INPUT,
        "description": "What django-ninja found wrong in the parameters or the body.",
        "type": "object",
        "properties": {
            "detail": {
                "title": "Detail",
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string"},
                        "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                        "msg": {"type": "string"},
                    },
                    "required": ["type", "loc", "msg"],
                },
            }
        },
        "required": ["detail"],
    },
}


def _answer(description: str, component: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


UNAUTHORIZED = _answer(
    "A token was needed, or the one sent is wrong, revoked or its owner inactive.", ERROR
)
NOT_FOUND = _answer("Nothing with this name or number that you may see.", ERROR)
BAD_BODY = _answer("The body is not JSON, or the service refused the data.", ERROR)
TOO_LARGE = _answer("The body is larger than the server accepts.", ERROR)
TOO_MANY = _answer("Too many requests: wait for the seconds Retry-After says.", ERROR)
INVALID = _answer("A parameter or a field of the body has the wrong type or form.", INVALID_INPUT)


def error_responses(operation: dict) -> dict[str, dict]:
    """The error answers this operation can give, by status code."""
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    answers = {"401": UNAUTHORIZED, "429": TOO_MANY}
    if any(p.get("in") == "path" for p in parameters):
        answers["404"] = NOT_FOUND
    if has_body:
        answers["400"] = BAD_BODY
        answers["413"] = TOO_LARGE
    if parameters or has_body:
        answers["422"] = INVALID
    return answers


def add_error_responses(schema: dict) -> dict:
    """Declare on each operation the error answers it can give and does not declare itself."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, component in COMPONENTS.items():
        components.setdefault(name, deepcopy(component))
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, answer in error_responses(operation).items():
                responses.setdefault(status, deepcopy(answer))
    return schema
