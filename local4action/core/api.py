from ninja import Router, Schema

from . import selectors

router = Router(tags=["SDG"])


class IndicatorOut(Schema):
    code: str
    title: str


class TargetOut(Schema):
    code: str
    title: str
    indicators: list[IndicatorOut]


class GoalOut(Schema):
    number: int
    short: str
    title: str
    color: str


class GoalDetailOut(GoalOut):
    targets: list[TargetOut]


@router.get("/sdg/goals", response=list[GoalOut], summary="The 17 goals, in the request language")
def goals(request):
    return list(selectors.goal_list())


@router.get("/sdg/goals/{number}", response=GoalDetailOut, summary="A goal with its targets")
def goal(request, number: int):
    goal = selectors.goal_get(number=number)
    return {
        "number": goal.number,
        "short": goal.short,
        "title": goal.title,
        "color": goal.color,
        "targets": [
            {
                "code": t.code,
                "title": t.title,
                "indicators": [{"code": i.code, "title": i.title} for i in t.indicators.all()],
            }
            for t in goal.targets.all()
        ],
    }
