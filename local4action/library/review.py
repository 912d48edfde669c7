"""The secretariat's pages: the queue of submitted resources, a resource's review (publish,
optionally into a collection; return with a note; withdraw), and the collections (create,
edit, order their resources, add one)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from local4action.core.numbers import whole_number
from local4action.events.forms import errors_to_form

from . import selectors, services
from .choices import ResourceStatus
from .forms import CollectionAddForm, CollectionForm, PublishForm, ReturnForm, WithdrawForm
from .models import Collection, CollectionItem
from .permissions import can_manage_library


def _staff(request) -> None:
    if not can_manage_library(request.user):
        raise PermissionDenied


@login_required
def review_queue(request):
    _staff(request)
    return render(
        request, "library/review_queue.html", {"resources": selectors.resources_to_review()}
    )


REVIEW_FORMS = {"publish": PublishForm, "return": ReturnForm, "withdraw": WithdrawForm}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review(request, slug):
    """One resource as the secretariat sees it (documents with their text extraction, case
    study), with the decisions its status allows."""
    _staff(request)
    resource = selectors.resource_get(user=request.user, slug=slug)
    forms = {name: form_class(prefix=name) for name, form_class in REVIEW_FORMS.items()}
    status = 200
    decision = request.POST.get("decision")
    if request.method == "POST":
        if decision not in REVIEW_FORMS:
            messages.error(request, _("Choose a decision."))
            return redirect("library:review", slug=slug)
        form = forms[decision] = REVIEW_FORMS[decision](request.POST, prefix=decision)
        if form.is_valid():
            try:
                if decision == "publish":
                    collection = form.cleaned_data["collection"]
                    services.resource_publish(
                        actor=request.user, resource=resource, collection=collection
                    )
                    done = (
                        _("The resource has been published in the collection “%(title)s”.")
                        % {"title": collection.title}
                        if collection
                        else _("The resource has been published.")
                    )
                elif decision == "return":
                    services.resource_return(
                        actor=request.user, resource=resource, note=form.cleaned_data["note"]
                    )
                    done = _("The resource has been returned to its team with your note.")
                else:
                    services.resource_withdraw(
                        actor=request.user, resource=resource, reason=form.cleaned_data["reason"]
                    )
                    done = _("The resource has been withdrawn: visitors no longer see it.")
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, done)
                return redirect(resource)
        status = 400
    case = None
    if hasattr(resource, "case"):
        case = resource.case
    return render(
        request,
        "library/review.html",
        {
            "resource": resource,
            "case": case,
            "forms": forms,
            "can_decide": resource.status == ResourceStatus.SUBMITTED,
            "can_publish": resource.status in (ResourceStatus.SUBMITTED, ResourceStatus.DRAFT),
            "can_withdraw": resource.status == ResourceStatus.PUBLISHED,
        },
        status=status,
    )


# Collections ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def collections_manage(request):
    _staff(request)
    form = CollectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                collection = services.collection_create(
                    actor=request.user,
                    title=data["title"],
                    introduction=data["introduction"],
                    language=data["language"],
                )
                if data["published"]:
                    services.collection_update(actor=request.user, collection=collection, data=data)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The collection has been created."))
                return redirect("library:collection_edit", slug=collection.slug)
        status = 400
    return render(
        request,
        "library/collections_manage.html",
        {"collections": Collection.objects.order_by("title", "pk"), "form": form},
        status=status,
    )


def _collection(slug) -> Collection:
    return get_object_or_404(Collection, slug=slug)


def _items(collection: Collection) -> list[CollectionItem]:
    return list(
        collection.items.select_related("resource")
        .defer("resource__search_text")
        .order_by("position")
    )


def _collection_page(request, collection, *, form=None, add_form=None, status=200):
    return render(
        request,
        "library/collection_edit.html",
        {
            "collection": collection,
            "form": form or CollectionForm(instance=collection),
            "add_form": add_form or CollectionAddForm(),
            "items": _items(collection),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def collection_edit(request, slug):
    _staff(request)
    collection = _collection(slug)
    if request.method != "POST":
        return _collection_page(request, collection)
    form = CollectionForm(request.POST, instance=Collection.objects.get(pk=collection.pk))
    if form.is_valid():
        try:
            collection = services.collection_update(
                actor=request.user, collection=collection, data=form.cleaned_data
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The collection has been saved."))
            return redirect("library:collection_edit", slug=collection.slug)
    return _collection_page(request, collection, form=form, status=400)


@login_required
@require_POST
def collection_add(request, slug):
    _staff(request)
    collection = _collection(slug)
    form = CollectionAddForm(request.POST)
    if form.is_valid():
        try:
            services.collection_add(
                actor=request.user, collection=collection, resource=form.cleaned_data["resource"]
            )
        except ValidationError as error:
            form.add_error("resource", error.messages)
        else:
            messages.success(request, _("The resource has been added to the collection."))
            return redirect(reverse("library:collection_edit", args=[slug]) + "#items")
    return _collection_page(request, collection, add_form=form, status=400)


@login_required
@require_POST
def collection_items(request, slug):
    """Move one resource up or down, or take it out: the list is sent back in its new order.
    Buttons in plain forms: no script needed."""
    _staff(request)
    collection = _collection(slug)
    order = [item.resource_id for item in _items(collection)]
    move = request.POST.get("move", "")
    direction, _sep, raw = move.partition(":")
    number = whole_number(raw)
    if number not in order or direction not in ("up", "down", "out"):
        messages.error(request, _("This resource is no longer in the collection."))
        return redirect("library:collection_edit", slug=slug)
    index = order.index(number)
    if direction == "out":
        order.pop(index)
    else:
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
    try:
        services.collection_set_items(actor=request.user, collection=collection, resource_ids=order)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The order of the collection has been saved."))
    return redirect(reverse("library:collection_edit", args=[slug]) + "#items")


urlpatterns = [
    path("library/staff/review/", review_queue, name="review_queue"),
    path("library/staff/collections/", collections_manage, name="collections_manage"),
    path("library/collections/<slug:slug>/edit/", collection_edit, name="collection_edit"),
    path("library/collections/<slug:slug>/add/", collection_add, name="collection_add"),
    path("library/collections/<slug:slug>/items/", collection_items, name="collection_items"),
    path("library/<slug:slug>/review/", review, name="review"),
]
