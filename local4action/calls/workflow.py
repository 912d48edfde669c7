"""The lifecycle of an application: from each state, the states it may move to and who may
move it there."""

from .choices import ApplicationStatus as S

APPLICANT, STAFF = "applicant", "staff"

TRANSITIONS: dict[str, dict[str, set[str]]] = {
    S.EOI_DRAFT: {S.EOI_SUBMITTED: {APPLICANT}, S.WITHDRAWN: {APPLICANT}},
    S.EOI_SUBMITTED: {S.DRAFT: {STAFF}, S.NOT_SHORTLISTED: {STAFF}, S.WITHDRAWN: {APPLICANT}},
    S.DRAFT: {S.SUBMITTED: {APPLICANT}, S.WITHDRAWN: {APPLICANT}},
    S.SUBMITTED: {
        S.LABELLED: {STAFF},
        S.ACCOMPANIED: {STAFF},
        S.DECLINED: {STAFF},
        S.WITHDRAWN: {APPLICANT},
    },
}


def allowed(current: str, target: str, role: str) -> bool:
    return role in TRANSITIONS.get(current, {}).get(target, set())
