import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from local4action.accounts.choices import MembershipStatus, OrganizationKind, OrganizationStatus
from local4action.accounts.models import Membership, Organization, User
from local4action.accounts.services import user_set_platform_roles

PASSWORD = "a-long-test-passphrase"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    language = "en"
    time_zone = "UTC"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            user_set_platform_roles(actor=None, user=obj, roles=set(extracted))


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Municipality number {n}")
    slug = factory.Sequence(lambda n: f"municipality-{n}")
    kind = OrganizationKind.LOCAL_GOVERNMENT
    country = "FR"
    population = 25000
    latitude = 45.0
    longitude = 4.5
    status = OrganizationStatus.APPROVED


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "member"
    status = MembershipStatus.ACTIVE
